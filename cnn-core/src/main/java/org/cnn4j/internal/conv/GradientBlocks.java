package org.cnn4j.internal.conv;

import org.cnn4j.internal.kernels.Parallel;

/**
 * Sums per-block partial gradients. Engines sum a batch's gradient in fixed blocks of images
 * ({@link ConvEngine#GRAD_BLOCK}), one partial each, and add the partials here in block order: the
 * same bits for any thread count.
 */
final class GradientBlocks {
    /** Elements per task of the parallel sum. */
    private static final int RANGE = 4096;

    private final Call call = new Call();

    /** {@code dst[i] = part[0*size + i] + part[1*size + i] + ...}, in block order, over fixed element ranges in parallel. */
    void reduce(float[] part, int blocks, int size, float[] dst) {
        call.set(part, blocks, size, dst);
        try {
            Parallel.forEach((size + RANGE - 1) / RANGE, call.task);
        } finally {
            call.clear();
        }
    }

    /**
     * One call's arguments, reused from call to call with its task made once (as
     * {@code Blas.Call}), so a parallel sum allocates nothing.
     */
    private static final class Call {
        private float[] part;
        private int blocks;
        private int size;
        private float[] dst;
        final Parallel.Body task = this::range;

        void set(float[] part, int blocks, int size, float[] dst) {
            this.part = part;
            this.blocks = blocks;
            this.size = size;
            this.dst = dst;
        }

        void clear() {
            part = null;
            dst = null;
        }

        private void range(int t, int worker) {
            int from = t * RANGE, to = Math.min(size, from + RANGE);
            System.arraycopy(part, from, dst, from, to - from);
            for (int b = 1; b < blocks; b++) {
                int off = b * size;
                for (int i = from; i < to; i++) {
                    dst[i] += part[off + i];
                }
            }
        }
    }

    /** {@code dst[i] = parts[0][i] + parts[1][i] + ...} over the first {@code blocks}, in block order. */
    static void reduce(float[][] parts, int blocks, float[] dst) {
        System.arraycopy(parts[0], 0, dst, 0, dst.length);
        for (int b = 1; b < blocks; b++) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] += parts[b][i];
            }
        }
    }
}
