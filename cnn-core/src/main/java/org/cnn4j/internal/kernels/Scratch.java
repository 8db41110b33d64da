package org.cnn4j.internal.kernels;

/**
 * Per-worker scratch arrays that grow to the largest size asked for and are then reused, so that
 * steady-state training allocates nothing. Index with the worker number {@link Parallel.Body} gets.
 */
public final class Scratch {
    private float[][] buffers = new float[0][];

    /** A buffer of at least {@code size} floats for {@code worker}; its contents are undefined. */
    public synchronized float[] get(int worker, int size) {
        if (worker >= buffers.length) {
            buffers = java.util.Arrays.copyOf(buffers, Math.max(worker + 1, Parallel.threads()));
        }
        float[] b = buffers[worker];
        if (b == null || b.length < size) {
            b = new float[size];
            buffers[worker] = b;
        }
        return b;
    }
}
