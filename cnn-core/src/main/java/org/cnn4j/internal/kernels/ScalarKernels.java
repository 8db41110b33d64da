package org.cnn4j.internal.kernels;

/**
 * The plain-Java twin of every kernel: the reference the Vector API kernels are tested against,
 * and the fallback when {@code jdk.incubator.vector} is absent. Written for clarity first; the
 * loop orders are still the cache-friendly ones so that the fallback stays usable.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            if (!transB) {
                // i-p-j order: the inner loop streams a row of B and a row of C.
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        s += aip * b[bj + p];
                    }
                    c[ci + j] += s;
                }
            }
        }
    }

    @Override
    public void im2col(float[] x, int xOff, ConvGeometry g, float[] col, int colOff) {
        int oh = g.outH(), ow = g.outW(), h = g.height(), w = g.width();
        int row = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int dst = colOff + row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padTop() + ky;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx;
                            col[dst++] = (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                    ? x[xOff + (ch * h + iy) * w + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void col2im(float[] col, int colOff, ConvGeometry g, float[] dx, int dxOff) {
        int oh = g.outH(), ow = g.outW(), h = g.height(), w = g.width();
        int row = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int src = colOff + row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padTop() + ky;
                        for (int ox = 0; ox < ow; ox++, src++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                dx[dxOff + (ch * h + iy) * w + ix] += col[src];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void addRowBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu) {
        for (int r = 0; r < rows; r++) {
            float b = bias[r];
            int o = yOff + r * cols;
            for (int j = 0; j < cols; j++) {
                float v = y[o + j] + b;
                y[o + j] = relu ? (v > 0f ? v : 0f) : v;
            }
        }
    }

    @Override
    public void addColumnBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu) {
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * cols;
            for (int j = 0; j < cols; j++) {
                float v = y[o + j] + bias[j];
                y[o + j] = relu ? (v > 0f ? v : 0f) : v;
            }
        }
    }

    @Override
    public void reluBackward(float[] dy, int dyOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            if (!(y[yOff + i] > 0f)) {
                dy[dyOff + i] = 0f;
            }
        }
    }

    @Override
    public void sumRows(float[] dy, int off, int rows, int cols, float[] db) {
        for (int r = 0; r < rows; r++) {
            db[r] += stripedSum(dy, off + r * cols, cols);
        }
    }

    /** Stripes of {@link #stripedSum}: fixed, not a vector width, so every machine gets the same bits. */
    static final int STRIPES = 16;

    /**
     * The sum of {@code dy[o .. o+n)} in {@value #STRIPES} interleaved stripes ({@code stripe = j % 16},
     * each summed in order from +0), then the stripes in order: the order the vector twin sums in
     * lanes, so the two agree bit for bit.
     */
    static float stripedSum(float[] dy, int o, int n) {
        float s = 0f;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            float t = 0f;
            for (int j = stripe; j < n; j += STRIPES) {
                t += dy[o + j];
            }
            s += t;
        }
        return s;
    }

    @Override
    public void sumColumns(float[] dy, int off, int rows, int cols, float[] db) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            for (int j = 0; j < cols; j++) {
                db[j] += dy[o + j];
            }
        }
    }

    @Override
    public void maxPoolForward(float[] x, int xOff, ConvGeometry g, float[] y, int yOff, int[] argmax, int argOff) {
        int h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int oy = 0; oy < oh; oy++) {
                int o = (ch * oh + oy) * ow;
                poolRow(x, xOff, g, ch * h * w, oy * g.strideH() - g.padTop(), 0, ow, y, yOff + o, argmax, argOff + o);
            }
        }
    }

    /**
     * Outputs {@code [from, to)} of one output row whose window starts at input row {@code y0} of
     * the channel at {@code plane}. The vector twin uses it too, near padding.
     */
    static void poolRow(float[] x, int xOff, ConvGeometry g, int plane, int y0, int from, int to,
                        float[] y, int yo, int[] argmax, int ao) {
        int h = g.height(), w = g.width();
        for (int ox = from; ox < to; ox++) {
            int x0 = ox * g.strideW() - g.padLeft();
            float best = Float.NEGATIVE_INFINITY;
            int bestIdx = -1;
            for (int ky = Math.max(0, -y0); ky < g.kh() && y0 + ky < h; ky++) {
                for (int kx = Math.max(0, -x0); kx < g.kw() && x0 + kx < w; kx++) {
                    int idx = plane + (y0 + ky) * w + x0 + kx;
                    float v = x[xOff + idx];
                    // strict '>' keeps the first maximum; NaN wins so that it propagates
                    if (bestIdx < 0 || v > best || (v != v && best == best)) {
                        best = v;
                        bestIdx = idx;
                    }
                }
            }
            y[yo + ox] = best;
            argmax[ao + ox] = bestIdx;
        }
    }

    @Override
    public void maxPoolBackward(float[] dy, int dyOff, int[] argmax, int argOff, int n, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + argmax[argOff + i]] += dy[dyOff + i];
        }
    }

    @Override
    public void rmsprop(float[] w, float[] g, float[] a, int off, int n, float lr, float rho, float eps,
                        boolean epsInsideSqrt) {
        float oneMinusRho = 1f - rho;
        for (int i = off; i < off + n; i++) {
            float gi = g[i];
            float ai = rho * a[i] + oneMinusRho * gi * gi;
            a[i] = ai;
            float denom = epsInsideSqrt ? (float) Math.sqrt(ai + eps) : (float) Math.sqrt(ai) + eps;
            w[i] -= lr * gi / denom;
        }
    }

    @Override
    public float sum(float[] x, int off, int n) {
        return stripedSum(x, off, n);
    }

    @Override
    public float sumSquaredDeviations(float[] x, int off, int n, float mean) {
        float s = 0f;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            float t = 0f;
            for (int j = stripe; j < n; j += STRIPES) {
                float d = x[off + j] - mean;
                t += d * d;
            }
            s += t;
        }
        return s;
    }

    @Override
    public float dotNormalized(float[] dy, float[] x, int off, int n, float mean, float inv) {
        float s = 0f;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            float t = 0f;
            for (int j = off + stripe; j < off + n; j += STRIPES) {
                t += dy[j] * ((x[j] - mean) * inv);
            }
            s += t;
        }
        return s;
    }

    @Override
    public void normalize(float[] x, int off, int n, float mean, float inv, float gamma, float beta, float[] y) {
        for (int i = off; i < off + n; i++) {
            y[i] = gamma * ((x[i] - mean) * inv) + beta;
        }
    }

    @Override
    public void normalizeBackward(float[] dy, float[] x, int off, int n, float mean, float inv, float k, float meanDy,
                                  float meanDyXhat) {
        for (int i = off; i < off + n; i++) {
            dy[i] = k * ((dy[i] - meanDy) - ((x[i] - mean) * inv) * meanDyXhat);
        }
    }

    @Override
    public void dropoutMask(long seed, long first, int n, int threshold, byte[] mask, int maskOff) {
        for (int i = 0; i < n; i++) {
            long z = seed + (first + i + 1) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            mask[maskOff + i] = (byte) ((z >>> 40) >= threshold ? 1 : 0);
        }
    }

    @Override
    public void applyMask(float[] x, int xOff, byte[] mask, int maskOff, float scale, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = mask[maskOff + i] != 0 ? x[xOff + i] * scale : 0f;
        }
    }

    // ---------------------------------------------------------------- Winograd tiles

    @Override
    public void tilesIn(Tiling g, float[] plane, int planeOff, int ty0, int ty1, float[] out, int outOff,
                        int posStride) {
        ScalarTiles.tilesIn(g, plane, planeOff, ty0, ty1, out, outOff, posStride);
    }

    @Override
    public void tilesOut(Tiling g, float[] in, int inOff, int posStride, int ty0, int ty1,
                         float[] plane, int planeOff, float bias, boolean relu, boolean accumulate) {
        ScalarTiles.tilesOut(g, in, inOff, posStride, ty0, ty1, plane, planeOff, bias, relu, accumulate);
    }

    @Override
    public void tilesInPacked(Tiling g, int cp, float[] src, int srcOff, int ty0, int ty1, float[] out, int outOff,
                              int posStride) {
        ScalarTiles.tilesInPacked(g, cp, src, srcOff, ty0, ty1, out, outOff, posStride);
    }

    @Override
    public void tilesOutPacked(Tiling g, int cp, float[] in, int inOff, int posStride, int ty0, int ty1,
                               float[] dst, int dstOff, boolean accumulate) {
        ScalarTiles.tilesOutPacked(g, cp, in, inOff, posStride, ty0, ty1, dst, dstOff, accumulate);
    }

    // pool2x2Packed: src [rows][cols][cp] -> dst [rows/2][cols/2][cp] = max over 2x2 of act(src + bias)
    @Override
    public void pool2x2Packed(float[] src, int srcOff, int cp, int rows, int cols, float[] bias, boolean relu,
                              float[] dst, int dstOff) {
        int half = cols / 2;
        for (int i = 0; i < rows / 2; i++) {
            for (int j = 0; j < half; j++) {
                int cell = srcOff + (2 * i * cols + 2 * j) * cp, to = dstOff + (i * half + j) * cp;
                for (int c = 0; c < cp; c++) {
                    float best = 0f;
                    // the window's cells in row-major order, as poolRow visits them
                    for (int t = 0; t < 4; t++) {
                        float v = src[cell + ((t >> 1) * cols + (t & 1)) * cp + c] + bias[c];
                        v = relu ? Math.max(v, 0f) : v;
                        // as poolRow: strict '>' keeps the first maximum; the first NaN wins and stays
                        if (t == 0 || v > best || (v != v && best == best)) {
                            best = v;
                        }
                    }
                    dst[to + c] = best;
                }
            }
        }
    }

    // biasReluPacked: src [rows][srcCols][cp] -> dst [rows][dstCols][cp] = act(src + bias), cells q < cols
    @Override
    public void biasReluPacked(float[] src, int srcOff, int srcCols, int cp, int rows, int cols, float[] bias,
                               boolean relu, float[] dst, int dstOff, int dstCols) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int from = srcOff + (r * srcCols + q) * cp, to = dstOff + (r * dstCols + q) * cp;
                for (int c = 0; c < cp; c++) {
                    float v = src[from + c] + bias[c];
                    dst[to + c] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    @Override
    public void pack(float[] x, int xOff, int channels, int height, int width, int row0, int rows, int col0,
                     int cols, float[] dst, int dstOff, int cp) {
        Packing.pack(x, xOff, channels, height, width, row0, rows, col0, cols, dst, dstOff, cp);
    }

    @Override
    public void unpack(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                       float[] y, int yOff, int channels, int height, int width, float[] bias, boolean relu) {
        Packing.unpack(src, srcOff, cp, row0, rows, col0, cols, y, yOff, channels, height, width, bias, relu);
    }

    @Override
    public void packPhases(float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW, int row0, int rows, int col0,
                           int cols, float[] dst, int dstOff, int cp) {
        Packing.packPhases(x, xOff, s, phaseH, phaseW, row0, rows, col0, cols, dst, dstOff, cp);
    }

    @Override
    public void unpackPhases(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols, float[] dx,
                             int dxOff, ConvGeometry s, int phaseH, int phaseW) {
        Packing.unpackPhases(src, srcOff, cp, row0, rows, col0, cols, dx, dxOff, s, phaseH, phaseW);
    }
}
