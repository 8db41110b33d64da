package org.cnn4j.model;

import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;

/**
 * The compute engine every model shares: how many threads a batch is spread over, and which
 * kernels run. The kernels are chosen once, when first used: the Vector API ones when the JVM runs
 * with {@code --add-modules jdk.incubator.vector} on HotSpot and a tested JDK (else the scalar
 * ones, about 15-20x slower to train, and a WARNING through {@code System.Logger} says so);
 * {@code -Dcnn4j.vector=true} or {@code false} forces the choice.
 */
public final class Engine {
    private Engine() {
    }

    /**
     * The number of threads one batch is spread over, the calling thread included.
     *
     * @return at least 1; by default the number of available processors or {@code -Dcnn4j.threads}
     */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads one batch is spread over. Results do not depend on it: work is cut
     * into pieces whose boundaries do not depend on the thread count. Call it while no model runs.
     *
     * @param threads at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /**
     * The kernels in use, for logs and reports.
     *
     * @return {@code "vector(256-bit)"} (the Vector API at that width) or {@code "scalar"}
     */
    public static String kernels() {
        return Kernels.get().name();
    }

    /**
     * Whether the Vector API kernels run.
     *
     * @return true for the Vector API kernels, false for the scalar ones
     */
    public static boolean vectorized() {
        return !kernels().equals("scalar");
    }
}
