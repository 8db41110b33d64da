/**
 * cnn4j core: tensors, layers with forward/backward pairs, losses, optimizers, the sequential
 * model, its training loop and its file format. Depends on the JDK only; the Vector API module is
 * optional (without it the scalar kernels run).
 */
module org.cnn4j.core {
    requires static jdk.incubator.vector;

    exports org.cnn4j.tensor;
    exports org.cnn4j.layers;
    exports org.cnn4j.loss;
    exports org.cnn4j.optim;
    exports org.cnn4j.init;
    exports org.cnn4j.model;
    exports org.cnn4j.data;
    exports org.cnn4j.callbacks;
    exports org.cnn4j.io;
}
