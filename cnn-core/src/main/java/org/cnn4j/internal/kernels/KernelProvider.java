package org.cnn4j.internal.kernels;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Chooses the {@link Kernels} once, at class initialisation, as {@link VectorPolicy} decides, and
 * logs the choice once through {@code System.Logger} ({@code org.cnn4j}): a WARNING when the
 * scalar kernels run for want of the module, a supported VM or a tested JDK, an INFO line naming
 * the kernels otherwise.
 */
final class KernelProvider {
    static final Kernels INSTANCE = choose();

    private KernelProvider() {
    }

    private static Kernels choose() {
        System.Logger log = System.getLogger("org.cnn4j");
        VectorPolicy.Decision d = VectorPolicy.current();
        if (!d.vector()) {
            log.log(d.level(), d.message());
            return new ScalarKernels();
        }
        try {
            Class<?> c = Class.forName("org.cnn4j.internal.kernels.VectorKernels");
            Kernels k = (Kernels) MethodHandles.lookup().findConstructor(c, MethodType.methodType(void.class)).invoke();
            log.log(d.level(), d.message() + ": " + k.name());
            return k;
        } catch (Throwable e) {
            // A missing or unusable Vector API must never stop training; it only makes it slower.
            log.log(Level.WARNING, "cnn4j: the Vector API kernels failed to load (" + e + "), so the scalar kernels run and "
                    + VectorPolicy.COST);
            return new ScalarKernels();
        }
    }
}
