package org.cnn4j.internal.kernels;

/**
 * The Winograd tile transforms of {@link ScalarKernels}, written as their definition: one tile at a
 * time, gathered with its zero border, multiplied by the transform on both sides.
 */
final class ScalarTiles {
    private ScalarTiles() {
    }

    // tilesIn: plane [H, W] -> out[(k*n + l)*posStride + tile] = (T d Tᵀ)[k][l], d the tile's size x size cells
    static void tilesIn(Tiling g, float[] plane, int planeOff, int ty0, int ty1, float[] out, int outOff,
                        int posStride) {
        int n = g.n(), s = g.size(), tw = g.tilesW();
        float[] t = g.t();
        float[] d = new float[s * s];
        float[] half = new float[n * s];
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                for (int i = 0; i < s; i++) {
                    int row = ty * g.step() + i - g.padTop();
                    for (int j = 0; j < s; j++) {
                        int col = tx * g.step() + j - g.padLeft();
                        boolean inside = row >= 0 && row < g.height() && col >= 0 && col < g.width();
                        d[i * s + j] = inside ? plane[planeOff + row * g.width() + col] : 0f;
                    }
                }
                for (int k = 0; k < n; k++) { // half = T d
                    for (int j = 0; j < s; j++) {
                        float v = 0f;
                        for (int i = 0; i < s; i++) {
                            v += t[k * s + i] * d[i * s + j];
                        }
                        half[k * s + j] = v;
                    }
                }
                int tile = outOff + (ty - ty0) * tw + tx;
                for (int k = 0; k < n; k++) { // (T d) Tᵀ
                    for (int l = 0; l < n; l++) {
                        float v = 0f;
                        for (int j = 0; j < s; j++) {
                            v += half[k * s + j] * t[l * s + j];
                        }
                        out[tile + (k * n + l) * posStride] = v;
                    }
                }
            }
        }
    }

    // tilesOut: in[(k*n + l)*posStride + tile] -> cells Tᵀ X T of each tile, added into or set in plane [H, W]
    static void tilesOut(Tiling g, float[] in, int inOff, int posStride, int ty0, int ty1,
                         float[] plane, int planeOff, float bias, boolean relu, boolean accumulate) {
        int n = g.n(), s = g.size(), tw = g.tilesW();
        float[] t = g.t();
        float[] x = new float[n * n];
        float[] half = new float[n * s];
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int tile = inOff + (ty - ty0) * tw + tx;
                for (int p = 0; p < n * n; p++) {
                    x[p] = in[tile + p * posStride];
                }
                for (int k = 0; k < n; k++) { // half = X T
                    for (int j = 0; j < s; j++) {
                        float v = 0f;
                        for (int l = 0; l < n; l++) {
                            v += x[k * n + l] * t[l * s + j];
                        }
                        half[k * s + j] = v;
                    }
                }
                for (int i = 0; i < s; i++) { // Tᵀ (X T)
                    int row = ty * g.step() + i - g.padTop();
                    for (int j = 0; j < s; j++) {
                        int col = tx * g.step() + j - g.padLeft();
                        if (row < 0 || row >= g.height() || col < 0 || col >= g.width()) {
                            continue;
                        }
                        float v = 0f;
                        for (int k = 0; k < n; k++) {
                            v += t[k * s + i] * half[k * s + j];
                        }
                        int o = planeOff + row * g.width() + col;
                        if (accumulate) {
                            plane[o] += v;
                        } else {
                            v += bias;
                            plane[o] = relu ? (v > 0f ? v : 0f) : v;
                        }
                    }
                }
            }
        }
    }

    // tilesInPacked: src [rows][cols][cp] -> out[(k*n + l)*posStride + tile*cp + c] = (T d_c Tᵀ)[k][l]
    static void tilesInPacked(Tiling g, int cp, float[] src, int srcOff, int ty0, int ty1, float[] out, int outOff,
                              int posStride) {
        int n = g.n(), s = g.size(), m = g.step(), tw = g.tilesW(), cols = (tw - 1) * m + s;
        float[] t = g.t();
        float[] half = new float[n * s];
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int tile = outOff + ((ty - ty0) * tw + tx) * cp;
                for (int c = 0; c < cp; c++) {
                    int d = srcOff + (((ty - ty0) * m) * cols + tx * m) * cp + c; // cell (0, 0) of the tile
                    for (int k = 0; k < n; k++) { // half = T d
                        for (int j = 0; j < s; j++) {
                            float v = 0f;
                            for (int i = 0; i < s; i++) {
                                v += t[k * s + i] * src[d + (i * cols + j) * cp];
                            }
                            half[k * s + j] = v;
                        }
                    }
                    for (int k = 0; k < n; k++) { // (T d) Tᵀ
                        for (int l = 0; l < n; l++) {
                            float v = 0f;
                            for (int j = 0; j < s; j++) {
                                v += half[k * s + j] * t[l * s + j];
                            }
                            out[tile + (k * n + l) * posStride + c] = v;
                        }
                    }
                }
            }
        }
    }

    // tilesOutPacked: in[(k*n + l)*posStride + tile*cp + c] -> cells Tᵀ X_c T, added into or set in dst [rows][cols][cp]
    static void tilesOutPacked(Tiling g, int cp, float[] in, int inOff, int posStride, int ty0, int ty1,
                               float[] dst, int dstOff, boolean accumulate) {
        int n = g.n(), s = g.size(), m = g.step(), tw = g.tilesW(), cols = (tw - 1) * m + s;
        float[] t = g.t();
        float[] half = new float[n * s];
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int tile = inOff + ((ty - ty0) * tw + tx) * cp;
                for (int c = 0; c < cp; c++) {
                    for (int k = 0; k < n; k++) { // half = X T
                        for (int j = 0; j < s; j++) {
                            float v = 0f;
                            for (int l = 0; l < n; l++) {
                                v += in[tile + (k * n + l) * posStride + c] * t[l * s + j];
                            }
                            half[k * s + j] = v;
                        }
                    }
                    int d = dstOff + (((ty - ty0) * m) * cols + tx * m) * cp + c;
                    for (int i = 0; i < s; i++) { // Tᵀ (X T)
                        for (int j = 0; j < s; j++) {
                            float v = 0f;
                            for (int k = 0; k < n; k++) {
                                v += t[k * s + i] * half[k * s + j];
                            }
                            int o = d + (i * cols + j) * cp;
                            dst[o] = accumulate ? dst[o] + v : v;
                        }
                    }
                }
            }
        }
    }
}
