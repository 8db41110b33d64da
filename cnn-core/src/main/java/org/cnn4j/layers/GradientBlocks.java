package org.cnn4j.layers;

import org.cnn4j.kernels.Parallel;

/**
 * Sums per-block partial gradients. Layers sum a batch's gradient in fixed blocks of images, one
 * partial each, and add the partials here in block order: the same bits for any thread count.
 */
final class GradientBlocks {
    /** Elements per task of the parallel sum. */
    private static final int RANGE = 4096;

    private GradientBlocks() {
    }

    /** {@code dst[i] = part[0*size + i] + part[1*size + i] + ...}, in block order, over fixed element ranges in parallel. */
    static void reduce(float[] part, int blocks, int size, float[] dst) {
        int ranges = (size + RANGE - 1) / RANGE;
        Parallel.forEach(ranges, (t, worker) -> {
            int from = t * RANGE, to = Math.min(size, from + RANGE);
            System.arraycopy(part, from, dst, from, to - from);
            for (int b = 1; b < blocks; b++) {
                int off = b * size;
                for (int i = from; i < to; i++) {
                    dst[i] += part[off + i];
                }
            }
        });
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
