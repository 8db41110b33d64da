/**
 * cnn4j core: tensors, layers with forward/backward pairs, losses, optimizers, the sequential
 * model, its training loop and its file format. Depends on the JDK only.
 */
module org.cnn4j.core {
    requires static jdk.incubator.vector;

    exports org.cnn4j.tensor;
    exports org.cnn4j.kernels;
    exports org.cnn4j.init;
}
