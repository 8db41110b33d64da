package org.cnn4j.internal.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Chooses the {@link Kernels} once, at class initialisation. The Vector API implementation is used
 * when the {@code jdk.incubator.vector} module is present (run with
 * {@code --add-modules jdk.incubator.vector}) and the system property {@code cnn4j.vector} is not
 * {@code false}; otherwise the scalar twin.
 */
final class KernelProvider {
    static final Kernels INSTANCE = choose();

    private KernelProvider() {
    }

    private static Kernels choose() {
        if ("false".equalsIgnoreCase(System.getProperty("cnn4j.vector"))) {
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.getLogger("org.cnn4j").log(System.Logger.Level.DEBUG,
                    "jdk.incubator.vector is not enabled; using scalar kernels (add --add-modules jdk.incubator.vector)");
            return new ScalarKernels();
        }
        try {
            Class<?> c = Class.forName("org.cnn4j.internal.kernels.VectorKernels");
            return (Kernels) MethodHandles.lookup().findConstructor(c, MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            // A missing or unusable Vector API must never stop training; it only makes it slower.
            System.getLogger("org.cnn4j").log(System.Logger.Level.WARNING,
                    "Vector API kernels unavailable (" + e + "); using scalar kernels");
            return new ScalarKernels();
        }
    }
}
