package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;

/**
 * {@link WinogradConv} with the transformed tiles laid out plane by plane: {@code V [alpha², C, T]},
 * {@code M [alpha², F, T]}, each plane's tiles a row, so the tile transforms ({@link Kernels#tilesIn},
 * {@link Kernels#tilesOut}) read and write the tensors' {@code [C, H, W]} planes directly, with
 * vectors across the tiles of a row. For few channels, where {@link PackedWinograd} would pad
 * most of each vector.
 */
final class PlanarWinograd extends WinogradConv {

    PlanarWinograd(Kernels kernels, ConvGeometry g, int filters, int m) {
        super(kernels, g, filters, m);
    }

    @Override
    void forwardChunk(Call a, int ch, int worker) {
        float[] v = vScratch.get(worker, a2 * channels * chunkTiles + SLACK);
        float[] mm = mScratch.get(worker, a2 * filters * chunkTiles + SLACK);
        int tilesH = in.tilesH();
        int g0 = ch * a.chunk, g1 = Math.min(a.rows, g0 + a.chunk), tiles = (g1 - g0) * in.tilesW();
        inputTiles(a.xs, g0, g1, v);
        for (int p = 0; p < a2; p++) {
            kernels.gemm(false, false, filters, tiles, channels, u, p * filters * channels, channels,
                    v, p * channels * chunkTiles, chunkTiles, 0f, mm, p * filters * chunkTiles, chunkTiles);
        }
        for (int gr = g0; gr < g1; ) {
            int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
            int tileOff = (gr - g0) * in.tilesW();
            for (int f = 0; f < filters; f++) {
                kernels.tilesOut(out, mm, f * chunkTiles + tileOff, filters * chunkTiles, ty0, ty1,
                        a.ys, img * filters * outSize + f * outSize, a.bias[f], a.relu, false);
            }
            gr += ty1 - ty0;
        }
    }

    @Override
    void backwardBlock(Call a, int blk, int worker) {
        int tilesH = in.tilesH(), tilesW = in.tilesW(), hw = in.height() * in.width();
        float[] v = vScratch.get(worker, a2 * channels * chunkTiles + SLACK);
        float[] mm = mScratch.get(worker, a2 * filters * chunkTiles + SLACK);
        float[] part = blocks.weights();
        int first = blk * gradBlock, last = Math.min(a.n, first + gradBlock);
        int off = beginBlock(a, blk, first, last);
        if (a.dxs != null) {
            Arrays.fill(a.dxs, first * inSize, last * inSize, 0f);
        }
        int blockRows = (last - first) * tilesH, size = chunkSize(blockRows);
        for (int r0 = 0; r0 < blockRows; r0 += size) {
            int g0 = first * tilesH + r0, g1 = Math.min(last * tilesH, g0 + size), tiles = (g1 - g0) * tilesW;
            inputTiles(a.xs, g0, g1, v);
            for (int gr = g0; gr < g1; ) {
                int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
                int tileOff = (gr - g0) * tilesW;
                for (int f = 0; f < filters; f++) {
                    kernels.tilesIn(out, a.dys, img * filters * outSize + f * outSize, ty0, ty1,
                            mm, f * chunkTiles + tileOff, filters * chunkTiles);
                }
                gr += ty1 - ty0;
            }
            for (int p = 0; p < a2; p++) {
                kernels.gemm(false, true, filters, channels, tiles, mm, p * filters * chunkTiles, chunkTiles,
                        v, p * channels * chunkTiles, chunkTiles, 1f, part, off + p * filters * channels, channels);
            }
            if (a.dxs == null) {
                continue;
            }
            for (int p = 0; p < a2; p++) { // dV overwrites V, which is no longer needed
                kernels.gemm(true, false, channels, tiles, filters, u, p * filters * channels, channels,
                        mm, p * filters * chunkTiles, chunkTiles, 0f, v, p * channels * chunkTiles, chunkTiles);
            }
            for (int gr = g0; gr < g1; ) {
                int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
                int tileOff = (gr - g0) * tilesW;
                for (int c = 0; c < channels; c++) {
                    kernels.tilesOut(in, v, c * chunkTiles + tileOff, channels * chunkTiles, ty0, ty1,
                            a.dxs, img * inSize + c * hw, 0f, false, true);
                }
                gr += ty1 - ty0;
            }
        }
    }

    /** V for the global tile rows {@code g0..g1} (image {@code gr / tilesH}, row {@code gr % tilesH}). */
    private void inputTiles(float[] xs, int g0, int g1, float[] v) {
        int tilesH = in.tilesH(), hw = in.height() * in.width();
        for (int gr = g0; gr < g1; ) {
            int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
            int tileOff = (gr - g0) * in.tilesW();
            for (int c = 0; c < channels; c++) {
                kernels.tilesIn(in, xs, img * inSize + c * hw, ty0, ty1, v, c * chunkTiles + tileOff, channels * chunkTiles);
            }
            gr += ty1 - ty0;
        }
    }
}
