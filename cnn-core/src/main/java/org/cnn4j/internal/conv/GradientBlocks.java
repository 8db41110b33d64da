package org.cnn4j.internal.conv;

import org.cnn4j.internal.kernels.Parallel;

/**
 * An engine's per-block partial gradients, and their sum. Engines sum a batch's gradient in fixed
 * blocks of images ({@link ConvEngine#GRAD_BLOCK}), one weight and one bias partial each, kept here
 * and added here in block order: the same bits for any thread count.
 */
final class GradientBlocks {
    /** Elements per task of the parallel sum. */
    private static final int RANGE = 4096;

    private final Call call = new Call();
    /** Block b's weight partial is elements {@code [b*size, (b+1)*size)}; grown, never shrunk. */
    private float[] weights = new float[0];
    /** Block b's bias partial is {@code biases[b]}. */
    private float[][] biases = new float[0][];

    /**
     * Makes room for the partials of a batch of {@code n} images: one weight partial of
     * {@code size} and one bias partial of {@code filters} per block of
     * {@link ConvEngine#GRAD_BLOCK} images.
     *
     * @return the number of blocks
     */
    int prepare(int n, int size, int filters) {
        return prepare(n, ConvEngine.GRAD_BLOCK, size, filters);
    }

    /**
     * {@link #prepare(int, int, int)} for blocks of {@code images} images (fixed by the engine's
     * geometry, never by the thread count).
     *
     * @return the number of blocks
     */
    int prepare(int n, int images, int size, int filters) {
        int blocks = (n + images - 1) / images;
        if (weights.length < blocks * size) {
            weights = new float[blocks * size];
        }
        if (biases.length < blocks) {
            biases = new float[blocks][filters];
        }
        return blocks;
    }

    /** The weight partials, block after block (see {@link #prepare}). */
    float[] weights() {
        return weights;
    }

    /** Block {@code blk}'s bias partial. */
    float[] bias(int blk) {
        return biases[blk];
    }

    /** Sums the first {@code blocks} partials, in block order, into the weight and bias gradients. */
    void reduce(int blocks, int size, float[] dWeights, float[] dBias) {
        reduce(weights, blocks, size, dWeights);
        reduce(biases, blocks, dBias);
    }

    /** {@code dst[i] = part[0*size + i] + part[1*size + i] + ...}, in block order, over fixed element ranges in parallel. */
    private void reduce(float[] part, int blocks, int size, float[] dst) {
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
    private static void reduce(float[][] parts, int blocks, float[] dst) {
        System.arraycopy(parts[0], 0, dst, 0, dst.length);
        for (int b = 1; b < blocks; b++) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] += parts[b][i];
            }
        }
    }
}
