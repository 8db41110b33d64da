package org.cnn4j.internal.kernels;

/**
 * The hot operations of training, behind one small interface so that a Vector API implementation
 * and its plain scalar twin are interchangeable and can be tested against each other.
 *
 * <p>All matrices are row-major {@code float[]} slices given by an offset and a leading dimension
 * (the distance between rows). Implementations are stateless and thread-safe; callers parallelise
 * over independent outputs. Obtain the one chosen at start-up with {@link #get()}.
 */
public interface Kernels {

    /** The implementation picked once at start-up: the Vector API one when it is available. */
    static Kernels get() {
        return KernelProvider.INSTANCE;
    }

    /** A short name for reports: {@code "vector(512-bit)"} or {@code "scalar"}. */
    String name();

    /**
     * {@code C = op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k} and {@code op(B)} is
     * {@code k x n}. With {@code transA}, A is stored {@code k x m}; with {@code transB}, B is stored
     * {@code n x k}. {@code beta} is 0 (overwrite; C's old contents are ignored, even NaN) or 1
     * (accumulate).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Unrolls one image {@code x[xOff..]} of shape {@code [C, H, W]} into {@code col[colOff..]} of
     * shape {@code [C*kh*kw, outH*outW]}; padded cells are zero.
     */
    void im2col(float[] x, int xOff, ConvGeometry g, float[] col, int colOff);

    /** The adjoint of {@link #im2col}: adds each column entry back into {@code dx} (accumulates). */
    void col2im(float[] col, int colOff, ConvGeometry g, float[] dx, int dxOff);

    /**
     * {@code y[r][c] += bias[r]} over a {@code rows x cols} block at {@code yOff}, then ReLU if asked.
     * Used by convolutions, whose output rows are channels.
     */
    void addRowBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu);

    /** {@code y[r][c] += bias[c]}, then ReLU if asked. Used by dense layers, whose columns are units. */
    void addColumnBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu);

    /** ReLU backward in place: {@code dy[i] = y[i] > 0 ? dy[i] : 0}, where y is the ReLU's output. */
    void reluBackward(float[] dy, int dyOff, float[] y, int yOff, int n);

    /** {@code db[r] += sum_c dy[r][c]}. */
    void sumRows(float[] dy, int off, int rows, int cols, float[] db);

    /** {@code db[c] += sum_r dy[r][c]}. */
    void sumColumns(float[] dy, int off, int rows, int cols, float[] db);

    /**
     * Max pooling of one image: writes {@code y[yOff..]} ({@code [C, outH, outW]}) and, for each
     * output, the index within the image of the input that won (ties: the first in row-major
     * order, as TensorFlow). Padded cells never win.
     */
    void maxPoolForward(float[] x, int xOff, ConvGeometry g, float[] y, int yOff, int[] argmax, int argOff);

    /** Routes each output gradient to its winning input: {@code dx[xOff + argmax[i]] += dy[i]}. */
    void maxPoolBackward(float[] dy, int dyOff, int[] argmax, int argOff, int n, float[] dx, int dxOff);

    /**
     * One RMSprop step on the {@code n} weights from {@code off} (the same offset in all three
     * arrays): {@code a = rho*a + (1-rho)*g*g}, then {@code w -= lr*g/(sqrt(a)+eps)}, or
     * {@code w -= lr*g/sqrt(a+eps)} when {@code epsInsideSqrt}. Each weight's result depends on
     * that weight alone, so callers may split the arrays into ranges and update them in parallel.
     */
    void rmsprop(float[] w, float[] g, float[] a, int off, int n, float lr, float rho, float eps,
                 boolean epsInsideSqrt);

    /**
     * {@code Σ x[off .. off+n)} in {@link #sumRows}'s 16 fixed stripes ({@code stripe = i % 16},
     * each summed in order from +0, then the stripes in order), so every implementation and vector
     * width gives the same bits. Batch normalization's statistics: the caller adds the runs in double.
     */
    float sum(float[] x, int off, int n);

    /** {@code Σ (x[i] - mean)²} over {@code x[off .. off+n)}, each square {@code d * d} unfused, in {@link #sum}'s stripes. */
    float sumSquaredDeviations(float[] x, int off, int n, float mean);

    /**
     * {@code Σ dy[i] * ((x[i] - mean) * inv)} over {@code i} in {@code [off, off+n)} (the same offset
     * in both arrays), each operation rounded on its own, in {@link #sum}'s stripes: batch
     * normalization's {@code Σ dy·x̂}, with {@code x̂} recomputed exactly as {@link #normalize} made it.
     */
    float dotNormalized(float[] dy, float[] x, int off, int n, float mean, float inv);

    /**
     * Batch normalization's forward pass over {@code n} values from {@code off} (the same offset in
     * both arrays): {@code y[i] = gamma * ((x[i] - mean) * inv) + beta}, each operation rounded on
     * its own (no fused multiply-add).
     */
    void normalize(float[] x, int off, int n, float mean, float inv, float gamma, float beta, float[] y);

    /**
     * Batch normalization's input gradient, in place over {@code n} values from {@code off} (the same
     * offset in both arrays): {@code dy[i] = k * ((dy[i] - meanDy) - xhat * meanDyXhat)} with
     * {@code xhat = (x[i] - mean) * inv}, each operation rounded on its own.
     */
    void normalizeBackward(float[] dy, float[] x, int off, int n, float mean, float inv, float k, float meanDy,
                           float meanDyXhat);

    /**
     * A dropout mask from a counter-based hash, so any range of it can be computed on its own:
     * {@code mask[maskOff + i] = 1} (keep) when {@code hash(seed, first + i) >>> 40 >= threshold},
     * else 0, for {@code i < n}. {@code hash(seed, j)} is SplitMix64's finaliser of
     * {@code seed + (j + 1) * 0x9E3779B97F4A7C15}: the {@code (j+1)}-th value of the SplitMix64
     * stream {@code new Rng(seed)}. Its top 24 bits are the uniform {@code u = bits * 2^-24} of
     * {@code Rng.nextFloat()}; so {@code threshold = ceil(rate * 2^24)} keeps exactly the elements
     * with {@code u >= rate}.
     */
    void dropoutMask(long seed, long first, int n, int threshold, byte[] mask, int maskOff);

    /** {@code y[i] = x[i] * scale} where {@code mask[i]}, else 0 (inverted dropout). */
    void applyMask(float[] x, int xOff, byte[] mask, int maskOff, float scale, float[] y, int yOff, int n);

    /**
     * The input side of a Winograd convolution, for tile rows {@code ty0 <= ty < ty1} of one plane:
     * writes each tile's transform {@code T d Tᵀ} ({@link Tiling}), element {@code (k, l)} of tile
     * {@code (ty, tx)} to {@code out[outOff + (k*n + l)*posStride + (ty - ty0)*tilesW + tx]}, so that
     * each of the {@code n²} positions holds a row of tiles, ready for a gemm.
     */
    void tilesIn(Tiling g, float[] plane, int planeOff, int ty0, int ty1, float[] out, int outOff, int posStride);

    /**
     * The adjoint of {@link #tilesIn}: maps each tile's {@code n x n} numbers, laid out as there,
     * back to its {@code size x size} cells, {@code Tᵀ X T}, dropping cells outside the plane. With
     * {@code accumulate}, cells are added into the plane (overlapping tiles add up: the input gradient);
     * without, tiles must not overlap ({@code size == step}) and each cell is set to its value plus
     * {@code bias}, through ReLU if asked (the output).
     */
    void tilesOut(Tiling g, float[] in, int inOff, int posStride, int ty0, int ty1,
                  float[] plane, int planeOff, float bias, boolean relu, boolean accumulate);

    /**
     * {@link #tilesIn} on channel-minor data, whose vectors run across channels instead of across
     * tiles (full vectors for any tile count). {@code src[srcOff..]} holds the tiling's cells from
     * row {@code ty0*step} of its extent ({@link Packing}): cell {@code (r, q)} of channel
     * {@code c} at {@code srcOff + (r*cols + q)*cp + c}, {@code cols = (tilesW-1)*step + size},
     * for the {@code (ty1-ty0-1)*step + size} rows tile rows {@code ty0 .. ty1-1} need. Writes
     * element {@code (k, l)} of tile {@code (ty, tx)}, channel {@code c < cp}, to
     * {@code out[outOff + (k*n + l)*posStride + ((ty - ty0)*tilesW + tx)*cp + c]}: per position, a
     * {@code tiles x cp} row-major matrix, ready for a gemm.
     */
    void tilesInPacked(Tiling g, int cp, float[] src, int srcOff, int ty0, int ty1, float[] out, int outOff,
                       int posStride);

    /**
     * The adjoint of {@link #tilesInPacked}: maps each tile's {@code n x n} numbers, laid out as
     * there, back to its {@code size x size} cells, {@code Tᵀ X T}, in the channel-minor layout of
     * {@link #tilesInPacked} (from row {@code ty0*step} of the extent). With {@code accumulate},
     * cells are added into {@code dst} (overlapping tiles add up); without, tiles must not overlap
     * ({@code size == step}) and each cell is set.
     */
    void tilesOutPacked(Tiling g, int cp, float[] in, int inOff, int posStride, int ty0, int ty1,
                        float[] dst, int dstOff, boolean accumulate);

    /**
     * The output of a convolution whose 2x2 max pooling (stride 2, valid) follows it, computed
     * without the full output: over channel-minor cells as {@link #tilesOutPacked} writes them,
     * {@code v(r, q, c) = src[srcOff + (r*cols + q)*cp + c] + bias[c]}, through ReLU
     * ({@code Math.max(v, 0)}) when {@code relu}, is pooled to
     * {@code dst[dstOff + (i*(cols/2) + j)*cp + c]}, the maximum of {@code v} over rows
     * {@code 2i, 2i+1} and columns {@code 2j, 2j+1}, for {@code i < rows/2, j < cols/2, c < cp}.
     * The maximum is {@link #maxPoolForward}'s, in its order (row-major, the first maximum wins; the
     * first NaN wins and stays), so the result has the bits that pooling the unpacked output gives.
     * {@code rows} and {@code cols} are even; {@code bias} has {@code cp} floats (zeros for the
     * channels that only pad the vectors).
     */
    void pool2x2Packed(float[] src, int srcOff, int cp, int rows, int cols, float[] bias, boolean relu,
                       float[] dst, int dstOff);

    /**
     * A convolution's output handed to the next convolution of an inference plan without leaving
     * the channel-minor layout: {@code dst[dstOff + (r*dstCols + q)*cp + c] = v} with
     * {@code v = src[srcOff + (r*srcCols + q)*cp + c] + bias[c]}, through ReLU
     * ({@code Math.max(v, 0)}) when {@code relu}, for {@code r < rows, q < cols, c < cp}: the
     * arithmetic of {@link Packing#unpack} with a bias, so the same bits, without the transposition.
     * {@code bias} has {@code cp} floats (zeros for the channels that only pad the vectors).
     */
    void biasReluPacked(float[] src, int srcOff, int srcCols, int cp, int rows, int cols, float[] bias, boolean relu,
                        float[] dst, int dstOff, int dstCols);

    /**
     * {@link Packing#pack}: planes {@code [C, H, W]} into channel-minor cells, zero outside the
     * planes and past the channels. Pure data movement, so every implementation gives the same floats.
     */
    void pack(float[] x, int xOff, int channels, int height, int width, int row0, int rows, int col0, int cols,
              float[] dst, int dstOff, int cp);

    /**
     * {@link Packing#unpack}: channel-minor cells back into planes, with the bias and ReLU as that
     * method computes them, so every implementation gives the same bits.
     */
    void unpack(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                float[] y, int yOff, int channels, int height, int width, float[] bias, boolean relu);

    /** {@link Packing#packPhases}: a strided input's phase cells, straight from the input. The same floats. */
    void packPhases(float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW, int row0, int rows, int col0,
                    int cols, float[] dst, int dstOff, int cp);

    /** {@link Packing#unpackPhases}: phase cells back into the strided input's gradient. The same floats. */
    void unpackPhases(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols, float[] dx, int dxOff,
                      ConvGeometry s, int phaseH, int phaseW);
}
