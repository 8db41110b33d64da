package org.cnn4j.internal.kernels;

import java.util.Arrays;

/**
 * Moves one image between the plane-major layout of tensors, {@code [C, H, W]}, and the
 * channel-minor layout that {@link Kernels#tilesInPacked} and {@link Kernels#tilesOutPacked} work
 * in, {@code [rows, cols, cp]}: a region of the plane whose cell {@code (r, q)} is plane cell
 * {@code (row0 + r, col0 + q)}, every channel of a cell side by side, {@code cp >= C} apart.
 *
 * <p>Why a copy: in the channel-minor layout a vector holds one cell of {@code L} channels, so the
 * tile transforms use whole vectors whatever the size of the plane (a 28x28 plane cut into 7 tiles a
 * row filled 7 of 16 lanes), and the transformed tiles come out as the {@code tiles x channels}
 * matrices the transform-domain gemms read in place. The copy is plain data movement, the same for
 * both kernel implementations.
 *
 * <p>Every copy runs channel by channel, each channel's plane region row after row: the planes are
 * read (or written) as one stream per channel, which the hardware prefetches, while the cells they
 * go to (a region of up to about 130 KiB) stay in L2. Row by row across all channels
 * read 32 to 64 short streams at once, two cache lines each, and waited on every one: on an AMD
 * EPYC Zen 4 (family 25 model 17) that made the copies 24% of the seed CNN's training step, and
 * this order took 10% off the step (LayerProfile, one thread; docs/performance.md).
 *
 * <p>{@link #pack} and {@link #unpack} are the scalar twins of {@link Kernels#pack} and
 * {@link Kernels#unpack}, which the Vector API kernels run as 16 x 16 register transposes
 * ({@code VectorTranspose}); callers go through {@link Kernels}.
 */
public final class Packing {
    private Packing() {
    }

    /**
     * {@code dst[dstOff + (r*cols + q)*cp + c] = x[xOff + (c*height + row0 + r)*width + col0 + q]} for
     * {@code r < rows, q < cols, c < cp}; zero for cells outside the plane and for {@code c >= channels}.
     */
    public static void pack(float[] x, int xOff, int channels, int height, int width, int row0, int rows, int col0,
                            int cols, float[] dst, int dstOff, int cp) {
        Arrays.fill(dst, dstOff, dstOff + rows * cols * cp, 0f);
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, height - row0);
        int q0 = Math.max(0, -col0), q1 = Math.min(cols, width - col0);
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int r = r0; r < r1; r++) {
                int rowBase = dstOff + r * cols * cp;
                int src = xOff + c * hw + (row0 + r) * width + col0;
                for (int q = q0; q < q1; q++) {
                    dst[rowBase + q * cp + c] = x[src + q];
                }
            }
        }
    }

    /**
     * The reverse of {@link #pack} for the plane cells the region covers:
     * {@code y[yOff + (c*height + row0 + r)*width + col0 + q] = src[srcOff + (r*cols + q)*cp + c]},
     * plus {@code bias[c]} when {@code bias} is not null, through ReLU ({@code max(v, 0)}, NaN stays
     * NaN) when {@code relu}. Cells of the region outside the plane, and channels from
     * {@code channels} to {@code cp}, are dropped.
     */
    public static void unpack(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                              float[] y, int yOff, int channels, int height, int width, float[] bias, boolean relu) {
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, height - row0);
        int q0 = Math.max(0, -col0), q1 = Math.min(cols, width - col0);
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int r = r0; r < r1; r++) {
                int from = srcOff + r * cols * cp + c, to = yOff + c * hw + (row0 + r) * width + col0;
                if (bias == null && !relu) {
                    for (int q = q0; q < q1; q++) {
                        y[to + q] = src[from + q * cp];
                    }
                    continue;
                }
                float b = bias == null ? 0f : bias[c];
                // Math.max, not a comparison: half the outputs are negative, in no pattern a branch
                // predictor can learn (a branch here made unpacking 4.5x slower in the model)
                for (int q = q0; q < q1; q++) {
                    float v = src[from + q * cp] + b;
                    y[to + q] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    /**
     * Planes into the plane cells of a channel-minor image that has rows and columns around them
     * (the next convolution's padding): {@code dst[dstOff + ((top + r)*cols + left + q)*cp + c] =
     * src[srcOff + (c*height + r)*width + q]} for {@code r < height, q < width, c < channels}. Nothing
     * else is written, so a caller may fill a part of a cell's channels ({@code dstOff} moved to its
     * first channel), and cells outside the plane keep what they hold (zeros).
     */
    public static void toCells(float[] src, int srcOff, int channels, int height, int width, float[] dst, int dstOff,
                               int cols, int cp, int top, int left) {
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < height; r++) {
                int rowBase = dstOff + ((top + r) * cols + left) * cp;
                int from = srcOff + c * hw + r * width;
                for (int q = 0; q < width; q++) {
                    dst[rowBase + q * cp + c] = src[from + q];
                }
            }
        }
    }

    /**
     * {@link #pack} of the phases of a strided input, read straight from the input: the phase image
     * of {@code s} (space-to-depth, as {@code PhasedConv} forms it) has channel
     * {@code (c*sh + a)*sw + b} at cell {@code (i, j)} equal to input cell
     * {@code (sh*i + a - padTop, sw*j + b - padLeft)} of channel c, zero outside the input and
     * outside the phase planes' {@code phaseH x phaseW}. So
     * {@code dst[dstOff + (r*cols + q)*cp + (c*sh + a)*sw + b]} takes that value at phase cell
     * {@code (row0 + r, col0 + q)}, and the channels from {@code C*sh*sw} to {@code cp} are zero: the
     * cells {@link #pack} would make of the phase planes, without the planes.
     */
    public static void packPhases(float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW, int row0, int rows,
                                  int col0, int cols, float[] dst, int dstOff, int cp) {
        Arrays.fill(dst, dstOff, dstOff + rows * cols * cp, 0f);
        copyPhases(true, x, xOff, s, phaseH, phaseW, row0, rows, col0, cols, dst, dstOff, cp);
    }

    /**
     * The reverse of {@link #packPhases} for the input cells the region's phase cells cover:
     * {@code dx} at input cell {@code (sh*i + a - padTop, sw*j + b - padLeft)} of channel c takes
     * {@code src[srcOff + (r*cols + q)*cp + (c*sh + a)*sw + b]} for phase cell
     * {@code (i, j) = (row0 + r, col0 + q)} inside the phase planes' {@code phaseH x phaseW}; each
     * input cell lies in one phase cell, so every cell is written at most once, and input cells
     * that no phase cell of the region covers are left as they are.
     */
    public static void unpackPhases(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                                    float[] dx, int dxOff, ConvGeometry s, int phaseH, int phaseW) {
        copyPhases(false, dx, dxOff, s, phaseH, phaseW, row0, rows, col0, cols, src, srcOff, cp);
    }

    // both directions: phase cell (i, j) = (row0 + r, col0 + q), channel (c*sh + a)*sw + b of the
    // cells <-> input cell (sh*i + a - padTop, sw*j + b - padLeft) of channel c
    private static void copyPhases(boolean toCells, float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW,
                                   int row0, int rows, int col0, int cols, float[] cells, int cOff, int cp) {
        int sh = s.strideH(), sw = s.strideW(), h = s.height(), w = s.width(), hw = h * w;
        for (int c = 0; c < s.channels(); c++) {
            for (int r = 0; r < Math.min(rows, phaseH - row0); r++) {
                int rowBase = cOff + r * cols * cp;
                for (int a = 0; a < sh; a++) {
                    int iy = sh * (row0 + r) + a - s.padTop();
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int b = 0; b < sw; b++) {
                        int pc = (c * sh + a) * sw + b, at = xOff + c * hw + iy * w + b - s.padLeft();
                        // phase columns whose input column sw*(col0 + q) + b - padLeft lies in [0, w)
                        int q0 = Math.max(0, ceilDiv(s.padLeft() - b, sw) - col0);
                        int q1 = Math.min(Math.min(cols, phaseW - col0), ceilDiv(w + s.padLeft() - b, sw) - col0);
                        if (toCells) {
                            for (int q = q0; q < q1; q++) {
                                cells[rowBase + q * cp + pc] = x[at + sw * (col0 + q)];
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                x[at + sw * (col0 + q)] = cells[rowBase + q * cp + pc];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The least {@code j} with {@code j * stride >= shift} (negative shifts give 0 or less). */
    private static int ceilDiv(int shift, int stride) {
        return Math.floorDiv(shift + stride - 1, stride);
    }
}
