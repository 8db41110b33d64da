package org.cnn4j.internal.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Winograd tile transforms of {@link VectorKernels}, vectorised across the tiles of a row.
 *
 * <p>Neighbouring tiles start {@code step} columns apart, so the cells that tiles {@code tx = 0, 1,
 * ...} need at tile column {@code j} are {@code step} apart in the plane: no vector load gets them.
 * So {@link #tilesIn} first copies each plane row once, zero-bordered, into a <em>phase-split</em>
 * row: the columns {@code col ≡ ph (mod step)} side by side for each phase {@code ph}. Then tile
 * column {@code j} of tiles {@code tx, tx+1, ...} is one contiguous run, at phase {@code j % step},
 * starting at {@code tx + j / step}. The transform is separable: a vertical pass combines whole
 * phase-split rows (every tile of the row at once), a horizontal pass combines the runs, one vector
 * of tiles at a time. {@link #tilesOut} runs the adjoint the other way round and keeps each tile
 * column apart until the final scalar copy into the plane, so that no vector store overlaps another.
 *
 * <p>The 1-D transforms of F(2x2, 3x3), F(2x2, 5x5) and F(4x4, 5x5), input and output side, are
 * written out with their constant coefficients, in small pieces ({@link Part}): a loop over a
 * sparse matrix costs several times more. Other tilings take a generic loop over the non-zero
 * coefficients. On narrow planes, F(4x4, 5x5) runs two tile rows per vector
 * ({@link #tilesInPaired}, {@link #tilesOutPaired}).
 *
 * <p>Callers that leave a vector of floats after their arrays' last element get the fast paths
 * throughout; without it, the last tile row takes a slower but equally exact road.
 */
final class VectorTiles {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int L = FS.length();

    /** Which 1-D transform a tiling uses: written out, or the generic loop. */
    private static final int GENERIC = 0, BT4 = 1, BT6 = 2, A42 = 3, A62 = 4, BT8 = 5, A84 = 6;

    private static int kindOf(Tiling g) {
        float[] t = g.t();
        if (Arrays.equals(t, Winograd.of(2, 3).inputTransform())) {
            return BT4;
        }
        if (Arrays.equals(t, Winograd.of(2, 5).inputTransform())) {
            return BT6; // also F(4x4, 3x3)'s: the same interpolation points
        }
        if (Arrays.equals(t, Winograd.of(2, 3).outputTransform())) {
            return A42;
        }
        if (Arrays.equals(t, Winograd.of(2, 5).outputTransform())) {
            return A62;
        }
        if (Arrays.equals(t, Winograd.of(4, 5).inputTransform())) {
            return BT8; // also F(6x6, 3x3)'s
        }
        if (Arrays.equals(t, Winograd.of(4, 5).outputTransform())) {
            return A84;
        }
        return GENERIC;
    }

    /** Per-thread scratch: phase-split rows and the passes' intermediate rows. */
    private static final class Buffers {
        float[] rows = new float[0];
        float[] half = new float[0];
        float[] block = new float[0];
        final Tiling[] tilings = new Tiling[8];
        final Taps[] taps = new Taps[8];
        int next;

        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }

        float[] pairIn = new float[0];

        float[] pairIn(int size) {
            if (pairIn.length < size) {
                pairIn = new float[size];
            }
            return pairIn;
        }

        float[] block(int size) {
            if (block.length < size) {
                block = new float[size];
            }
            return block;
        }

        float[] half(int size) {
            if (half.length < size) {
                half = new float[size];
            }
            return half;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorTiles() {
    }

    /**
     * What a tiling needs, computed once per thread and tiling: the layout of the phase-split rows,
     * the kind of transform, the non-zero coefficients of T by row and by column (for the generic
     * loop), and the offsets of tile columns and of tile rows.
     */
    private static final class Taps {
        /** The transform, in pieces run one after the other. */
        final Part[] parts;
        /** The transposed transform, in pieces. */
        final Part[] transposedParts;
        /** Vectors of tiles per tile row. */
        final int vectors;
        /** Floats per phase: a run starts at most (size-1)/step in and is vectors*L long. */
        final int phaseLen;
        /** Floats per phase-split row, a multiple of L. */
        final int rowLen;
        final int[] rowStart;
        final int[] rowIndex;
        final float[] rowCoef;
        final int[] colStart;
        final int[] colIndex;
        final float[] colCoef;
        /** Where tile column j starts in a phase-split row: {@code (j % step) * phaseLen + j / step}. */
        final int[] colOffset;
        /** {@code i * rowLen}: where tile row i starts among the phase-split rows. */
        final int[] rowOffset;
        /**
         * Whether two tile rows share a vector (see {@link #tilesInPaired}): when a tile row's
         * runs, halo included, fit in half a vector.
         */
        final boolean paired;
        /** Paired layout: {@code i * step * L}, where paired row i starts; {@code (j % step) * L + j / step}. */
        final int[] pairRowOffset;
        final int[] pairColOffset;
        /** Channel-minor layout ({@link #tilesInPacked}): the cp the offsets below are for, or -1. */
        int packedCp = -1;
        /** {@code i * cols * cp}: cell row i of a tile. */
        int[] packedRows;
        /** {@code j * cp}: cell column j of a tile. */
        int[] packedCols;

        /** Sets the channel-minor offsets for {@code cp} (they change only if a tiling meets another cp). */
        void packed(Tiling g, int cp) {
            if (packedCp != cp) {
                int s = g.size(), cols = (g.tilesW() - 1) * g.step() + s;
                packedRows = new int[s];
                packedCols = new int[s];
                for (int i = 0; i < s; i++) {
                    packedRows[i] = i * cols * cp;
                    packedCols[i] = i * cp;
                }
                packedCp = cp;
            }
        }

        Taps(Tiling g) {
            int n = g.n(), s = g.size();
            float[] t = g.t();
            int kind = kindOf(g);
            parts = switch (kind) {
                case BT8 -> new Part[] {new BT8a(), new BT8b(), new BT8c()};
                case BT6 -> new Part[] {new BT6a(), new BT6b()};
                case BT4 -> new Part[] {new BT4()};
                case A84 -> new Part[] {new A84a(), new A84b()};
                case A62 -> new Part[] {new A62()};
                case A42 -> new Part[] {new A42()};
                default -> new Part[] {new GenericPart(this)};
            };
            transposedParts = switch (kind) {
                case BT8 -> new Part[] {new BT8Ta(), new BT8Tb(), new BT8Tc()};
                case BT6 -> new Part[] {new BT6Ta(), new BT6Tb()};
                case BT4 -> new Part[] {new BT4T()};
                case A84 -> new Part[] {new A84Ta(), new A84Tb()};
                case A62 -> new Part[] {new A62T()};
                case A42 -> new Part[] {new A42T()};
                default -> parts;
            };
            vectors = (g.tilesW() + L - 1) / L;
            phaseLen = vectors * L + (s - 1) / g.step();
            rowLen = (g.step() * phaseLen + L - 1) / L * L;
            int nz = 0;
            for (float c : t) {
                nz += c != 0f ? 1 : 0;
            }
            rowStart = new int[n + 1];
            rowIndex = new int[nz];
            rowCoef = new float[nz];
            colStart = new int[s + 1];
            colIndex = new int[nz];
            colCoef = new float[nz];
            int q = 0;
            for (int k = 0; k < n; k++) {
                rowStart[k] = q;
                for (int i = 0; i < s; i++) {
                    if (t[k * s + i] != 0f) {
                        rowIndex[q] = i;
                        rowCoef[q++] = t[k * s + i];
                    }
                }
            }
            rowStart[n] = q;
            q = 0;
            for (int j = 0; j < s; j++) {
                colStart[j] = q;
                for (int l = 0; l < n; l++) {
                    if (t[l * s + j] != 0f) {
                        colIndex[q] = l;
                        colCoef[q++] = t[l * s + j];
                    }
                }
            }
            colStart[s] = q;
            colOffset = new int[s];
            rowOffset = new int[s];
            // measured: pays for F(4x4, 5x5)'s 8x8 tiles (conv2 input transform 8243 -> 9437 images/s),
            // not for F(2x2, 3x3)'s 4x4 ones (conv4: 47828 -> 42385), whose final moves cost as much
            // as the halved horizontal pass saves
            paired = n >= 8 && 2 * (g.tilesW() + (s - 1) / g.step()) <= L;
            pairRowOffset = new int[s];
            pairColOffset = new int[s];
            for (int j = 0; j < s; j++) {
                pairRowOffset[j] = j * g.step() * L;
                pairColOffset[j] = (j % g.step()) * L + j / g.step();
            }
            for (int j = 0; j < s; j++) {
                colOffset[j] = (j % g.step()) * phaseLen + j / g.step();
                rowOffset[j] = j * rowLen;
            }
        }
    }

    /** The taps of a tiling, remembered per thread: a model uses a handful of tilings in turn. */
    private static Taps taps(Buffers b, Tiling g) {
        for (int i = 0; i < b.tilings.length; i++) {
            if (b.tilings[i] == g) {
                return b.taps[i];
            }
        }
        int slot = b.next++ % b.tilings.length;
        b.tilings[slot] = g;
        b.taps[slot] = new Taps(g);
        return b.taps[slot];
    }

    // tilesIn: plane [H, W] -> out[(k*n + l)*posStride + tile] = (T d Tᵀ)[k][l]
    static void tilesIn(Tiling g, float[] plane, int planeOff, int ty0, int ty1, float[] out, int outOff,
                        int posStride) {
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW();
        Buffers b = BUFFERS.get();
        Taps tp = taps(b, g);
        int rowLen = tp.rowLen, vectors = tp.vectors, tileRows = ty1 - ty0;
        if (tp.paired && tileRows > 1 && outOff + (n * n - 1) * posStride + tileRows * tw + L <= out.length) {
            tilesInPaired(g, tp, b, plane, planeOff, ty0, ty1, out, outOff, posStride);
            return;
        }
        int rows = (tileRows - 1) * m + s;
        float[] p = b.rows(rows * rowLen);
        float[] z = b.half(tileRows * n * rowLen);
        splitRows(g, tp, plane, planeOff, ty0 * m - g.padTop(), rows, p);
        int tail = tw - (vectors - 1) * L;
        // vertical, every tile row first (the horizontal pass's unaligned loads then never wait on
        // these stores): z[u][k] = sum_i T[k][i] * row(u*m + i), whole rows at once
        for (Part part : tp.parts) {
            part.pass(tileRows, rowLen / L, 1, p, 0, m * rowLen, L, 0, tp.rowOffset, z, 0, n * rowLen, L, 0, rowLen, L);
        }
        // horizontal: out[k][l] = sum_j T[l][j] * z[u][k] at tile column j
        for (Part part : tp.parts) {
            part.pass(tileRows, n, vectors, z, 0, n * rowLen, rowLen, L, tp.colOffset,
                    out, outOff, tw, n * posStride, L, posStride, tail);
        }
    }

    /**
     * {@link #tilesIn} for narrow planes (a tile row of 7 tiles would fill 7 of 16 lanes): tile rows
     * {@code 2q} and {@code 2q+1} go through the passes side by side, one in each half of the
     * vector. Each phase-split row holds, per phase, the run of tile row 2q's plane row in the
     * first half and the run of tile row 2q+1's in the second; the passes are the same, over twice
     * the tiles per vector, and a last pass moves each half to its tile row.
     */
    private static void tilesInPaired(Tiling g, Taps tp, Buffers b, float[] plane, int planeOff, int ty0, int ty1,
                                      float[] out, int outOff, int posStride) {
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW(), half = L / 2;
        int tileRows = ty1 - ty0, pairs = (tileRows + 1) / 2, rowLen = m * L;
        float[] p = b.rows(pairs * s * rowLen);
        float[] z = b.half(pairs * n * rowLen + L); // the last horizontal loads reach past the last row
        float[] t = b.block(pairs * n * n * L + L);
        splitPairs(g, plane, planeOff, ty0, tileRows, pairs, p);
        // vertical: z[q][k] = sum_i T[k][i] * paired row i of pair q
        for (Part part : tp.parts) {
            part.pass(pairs, m, 1, p, 0, s * rowLen, L, 0, tp.pairRowOffset, z, 0, n * rowLen, L, 0, rowLen, L);
        }
        // horizontal: t[q][k][l] = sum_j T[l][j] * z[q][k] at tile column j, both tile rows at once
        for (Part part : tp.parts) {
            part.pass(pairs, n, 1, z, 0, n * rowLen, rowLen, 0, tp.pairColOffset, t, 0, n * n * L, n * L, 0, L, L);
        }
        // each half to its tile row: tile 2q*tw + tx from lane tx, (2q+1)*tw + tx from lane half + tx
        VectorMask<Float> lanes = FS.indexInRange(0, tw);
        for (int q = 0; q < pairs; q++) {
            boolean second = 2 * q + 1 < tileRows;
            for (int pos = 0; pos < n * n; pos++) {
                int from = (q * n * n + pos) * L, to = outOff + pos * posStride + 2 * q * tw;
                FloatVector.fromArray(FS, t, from).intoArray(out, to, lanes);
                if (second) {
                    FloatVector.fromArray(FS, t, from + half).intoArray(out, to + tw, lanes);
                }
            }
        }
    }

    /**
     * The paired phase-split rows: for pair q and tile row i, per phase ph, half a vector of plane
     * row {@code (ty0 + 2q)*step + i - padTop} and half of row {@code (ty0 + 2q + 1)*step + i - padTop}
     * (zero outside the plane, or past the last tile row).
     */
    private static void splitPairs(Tiling g, float[] plane, int planeOff, int ty0, int tileRows, int pairs,
                                   float[] p) {
        int m = g.step(), s = g.size(), w = g.width(), half = L / 2, rowLen = m * L;
        Arrays.fill(p, 0, pairs * s * rowLen, 0f);
        int cols = Math.min(w, m * half - g.padLeft());
        int ph0 = g.padLeft() % m, q0 = g.padLeft() / m;
        for (int q = 0; q < pairs; q++) {
            for (int side = 0; side < 2 && 2 * q + side < tileRows; side++) {
                int u = 2 * q + side;
                for (int i = 0; i < s; i++) {
                    int row = (ty0 + u) * m + i - g.padTop();
                    if (row < 0 || row >= g.height()) {
                        continue;
                    }
                    int src = planeOff + row * w, base = (q * s + i) * rowLen + side * half;
                    int ph = ph0, qq = q0;
                    for (int col = 0; col < cols; col++) {
                        p[base + ph * L + qq] = plane[src + col];
                        if (++ph == m) {
                            ph = 0;
                            qq++;
                        }
                    }
                }
            }
        }
    }

    // tilesOut: in[(k*n + l)*posStride + tile] -> Tᵀ X T into plane [H, W] (added, or set with bias and ReLU)
    static void tilesOut(Tiling g, float[] in, int inOff, int posStride, int ty0, int ty1,
                         float[] plane, int planeOff, float bias, boolean relu, boolean accumulate) {
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW();
        Buffers b = BUFFERS.get();
        Taps tp = taps(b, g);
        int vectors = tp.vectors, tv = vectors * L, tileRows = ty1 - ty0;
        int rows = (tileRows - 1) * m + s;
        // z [tileRows][n][s][tv]: X T, one row of tiles per tile column j
        // p [rows][s][tv]: Tᵀ X T, accumulated over overlapping tile rows, tile columns still apart
        if (inOff + (n * n - 1) * posStride + (tileRows - 1) * tw + vectors * L > in.length) {
            // whole-vector loads of the last tile row would run past the end of the array: callers
            // that want speed leave a vector of slack there (WinogradConv does)
            ScalarTiles.tilesOut(g, in, inOff, posStride, ty0, ty1, plane, planeOff, bias, relu, accumulate);
            return;
        }
        boolean paired = tp.paired && tileRows > 1;
        float[] z = b.half(tileRows * n * s * tv);
        float[] p = b.rows(rows * s * tv);
        if (paired || s != m) { // these add into p; with s == m every cell of p is stored once below
            Arrays.fill(p, 0, rows * s * tv, 0f);
        }
        if (paired) {
            tilesOutPaired(g, tp, b, in, inOff, posStride, tileRows, p);
            mergeRows(g, tv, p, ty0 * m - g.padTop(), rows, plane, planeOff, bias, relu, accumulate);
            return;
        }
        // horizontal: z[u][k][j] = sum_l X[k][l] * T[l][j]
        for (Part part : tp.transposedParts) {
            part.passTransposed(tileRows, n, vectors, in, inOff, tw, n * posStride, L, posStride,
                    z, 0, n * s * tv, s * tv, L, tv);
        }
        // vertical: p[u*m + i][j] += sum_k T[k][i] * z[u][k][j]
        if (s == m) { // tiles do not overlap: each tile row's cells are stored once
            for (Part part : tp.transposedParts) {
                part.passTransposed(tileRows, s, vectors, z, 0, n * s * tv, tv, L, s * tv,
                        p, 0, m * s * tv, tv, L, s * tv);
            }
        } else { // tiles overlap: each tile row's cells go to its own block, then add up row by row
            float[] q = b.block(tileRows * s * s * tv);
            for (Part part : tp.transposedParts) {
                part.passTransposed(tileRows, s, vectors, z, 0, n * s * tv, tv, L, s * tv,
                        q, 0, s * s * tv, tv, L, s * tv);
            }
            addBlocks(q, tileRows, s * s * tv, p, m * s * tv);
        }
        mergeRows(g, tv, p, ty0 * m - g.padTop(), rows, plane, planeOff, bias, relu, accumulate);
    }

    // tilesInPacked: src [rows][cols][cp] -> out[(k*n + l)*posStride + tile*cp + c] = (T d_c Tᵀ)[k][l]
    static void tilesInPacked(Tiling g, int cp, float[] src, int srcOff, int ty0, int ty1, float[] out, int outOff,
                              int posStride) {
        if (cp % L != 0) {
            ScalarTiles.tilesInPacked(g, cp, src, srcOff, ty0, ty1, out, outOff, posStride);
            return;
        }
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW(), cols = (tw - 1) * m + s, rowFloats = cols * cp;
        Buffers b = BUFFERS.get();
        Taps tp = taps(b, g);
        tp.packed(g, cp);
        float[] z = b.half(n * rowFloats);
        for (int u = 0; u < ty1 - ty0; u++) {
            // vertical, every cell column of the tile row at once: z[k][q] = sum_i T[k][i] * src[u*m + i][q]
            for (Part part : tp.parts) {
                part.pass(cols, cp / L, 1, src, srcOff + u * m * rowFloats, cp, L, 0, tp.packedRows,
                        z, 0, cp, L, 0, rowFloats, L);
            }
            // horizontal, per tile: out[k][l] = sum_j T[l][j] * z[k][tx*m + j]
            for (Part part : tp.parts) {
                part.pass(n, tw, cp / L, z, 0, rowFloats, m * cp, L, tp.packedCols,
                        out, outOff + u * tw * cp, n * posStride, cp, L, posStride, L);
            }
        }
    }

    // tilesOutPacked: in[(k*n + l)*posStride + tile*cp + c] -> Tᵀ X_c T into dst [rows][cols][cp] (added, or set)
    static void tilesOutPacked(Tiling g, int cp, float[] in, int inOff, int posStride, int ty0, int ty1,
                               float[] dst, int dstOff, boolean accumulate) {
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW(), cols = (tw - 1) * m + s, rowFloats = cols * cp;
        if (cp % L != 0 || (!accumulate && s != m)) {
            ScalarTiles.tilesOutPacked(g, cp, in, inOff, posStride, ty0, ty1, dst, dstOff, accumulate);
            return;
        }
        Buffers b = BUFFERS.get();
        Taps tp = taps(b, g);
        int block = tw * s * cp; // one row of every tile's cells, tile columns apart
        float[] z = b.half(n * block);
        float[] q = accumulate ? b.block(s * block) : null;
        for (int u = 0; u < ty1 - ty0; u++) {
            // horizontal: z[k][tx][j] = sum_l X[k][l] * T[l][j]
            for (Part part : tp.transposedParts) {
                part.passTransposed(n, tw, cp / L, in, inOff + u * tw * cp, n * posStride, cp, L, posStride,
                        z, 0, block, s * cp, L, cp);
            }
            // vertical: cell (i, tx*m + j) = sum_k T[k][i] * z[k][tx][j]; without overlap (s == m) the
            // cells of a row are contiguous, so they go straight to dst
            int row = dstOff + u * m * rowFloats;
            for (Part part : tp.transposedParts) {
                part.passTransposed(tw * s, cp / L, 1, z, 0, cp, L, 0, block,
                        accumulate ? q : dst, accumulate ? 0 : row, cp, L, 0, accumulate ? block : rowFloats);
            }
            if (accumulate) {
                for (int i = 0; i < s; i++) {
                    for (int tx = 0; tx < tw; tx++) {
                        int from = i * block + tx * s * cp, to = row + (i * cols + tx * m) * cp;
                        for (int e = 0; e < s * cp; e += L) {
                            FloatVector.fromArray(FS, q, from + e).add(FloatVector.fromArray(FS, dst, to + e))
                                    .intoArray(dst, to + e);
                        }
                    }
                }
            }
        }
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(FS, a, i);
    }

    /** {@code a * c + b}. */
    private static FloatVector fma(FloatVector a, float c, FloatVector b) {
        // (no neg() anywhere in this class: its intrinsic failed to inline here, boxing every vector)
        // the vector's own broadcast: FloatVector.broadcast(FS, c) here sometimes compiled without
        // its intrinsic (species not seen as a constant), and then every vector was boxed
        return a.fma(a.broadcast(c), b);
    }

    /**
     * A piece of a 1-D transform, run as passes over blocks of vectors. {@link #pass}: for each
     * {@code a < na, b < nb, c < nc}, {@code y[l] = sum_j T[l][j] x[j]} for this piece's rows
     * {@code l}, with {@code x[j]} the vector at {@code src[so + a*sa + b*sb + c*sc + xo[j]]} and
     * {@code y[l]} stored at {@code dst[d + a*da + b*db + c*dc + l*ds]}, the last {@code c} only in
     * its first {@code tailLanes} lanes. {@link #passTransposed}: {@code y[j] = sum_l T[l][j] x[l]},
     * {@code x[l]} at {@code src[so + a*sa + b*sb + c*sc + l*ss]}, loaded whole (lanes past the
     * last tile carry garbage into lanes nobody reads), {@code y[j]} stored at
     * {@code dst[d + a*da + b*db + c*dc + j*ds]}.
     *
     * <p>Each piece repeats the same loop nest around its own {@code apply}: with the loops once, in
     * this class, calling {@code apply} virtually, the F(4x4, 5x5) transforms ran 3-10% slower
     * (KernelBenchmark, same sitting, 18:12-18:13: input 9,123 against 9,353 calls/s, output 9,647
     * against 10,052, input gradient 4,806 against 5,356).
     *
     * <p>Why pieces behind a virtual call: each Vector API call inlines a deep tree of methods, and
     * when C2 compiled several transforms into one unit (a switch over them, or F(2x2, 5x5)'s six
     * outputs at once) some calls fell out of the inlining budget and silently ran boxed: 2 to 5
     * times slower and megabytes of garbage per batch. A call site that sees three or more pieces is
     * never inlined, so each piece is compiled alone, with every vector in a register.
     */
    private abstract static class Part {
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            throw new UnsupportedOperationException();
        }

        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class BT4 extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]);
            FloatVector x3 = load(src, so + xo[3]);
            x2.sub(x0).intoArray(dst, d + 0 * ds, mk);
            x1.add(x2).intoArray(dst, d + 1 * ds, mk);
            x2.sub(x1).intoArray(dst, d + 2 * ds, mk);
            x3.sub(x1).intoArray(dst, d + 3 * ds, mk);
        }
    }

    private static final class BT6a extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]);
            FloatVector x3 = load(src, so + xo[3]), x4 = load(src, so + xo[4]);
            FloatVector a = fma(x2, -4f, x4);
            FloatVector c = fma(x1, -4f, x3);
            fma(x0, 4f, fma(x2, -5f, x4)).intoArray(dst, d + 0 * ds, mk);
            a.add(c).intoArray(dst, d + 1 * ds, mk);
            a.sub(c).intoArray(dst, d + 2 * ds, mk);
        }
    }

    private static final class BT6b extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]), x3 = load(src, so + xo[3]);
            FloatVector x4 = load(src, so + xo[4]), x5 = load(src, so + xo[5]);
            FloatVector e = x4.sub(x2);
            FloatVector f = x3.sub(x1).mul(2f);
            e.add(f).intoArray(dst, d + 3 * ds, mk);
            e.sub(f).intoArray(dst, d + 4 * ds, mk);
            fma(x1, 4f, fma(x3, -5f, x5)).intoArray(dst, d + 5 * ds, mk);
        }
    }

    private static final class BT8a extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]);
            FloatVector x3 = load(src, so + xo[3]), x4 = load(src, so + xo[4]), x5 = load(src, so + xo[5]);
            FloatVector x6 = load(src, so + xo[6]), x7 = load(src, so + xo[7]);
            FloatVector e = fma(x4, -4.25f, x2.add(x6));
            FloatVector o = fma(x3, -4.25f, x1.add(x5));
            fma(x2.sub(x4), 5.25f, x6.sub(x0)).intoArray(dst, d + 0 * ds, mk);
            fma(x3.sub(x5), 5.25f, x7.sub(x1)).intoArray(dst, d + 7 * ds, mk);
            e.add(o).intoArray(dst, d + 1 * ds, mk);
            e.sub(o).intoArray(dst, d + 2 * ds, mk);
        }
    }

    private static final class BT8b extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]), x3 = load(src, so + xo[3]);
            FloatVector x4 = load(src, so + xo[4]), x5 = load(src, so + xo[5]), x6 = load(src, so + xo[6]);
            FloatVector e = fma(x4, -1.25f, fma(x2, 0.25f, x6));
            FloatVector o = fma(x5, 2f, fma(x3, -2.5f, x1.mul(0.5f)));
            e.add(o).intoArray(dst, d + 3 * ds, mk);
            e.sub(o).intoArray(dst, d + 4 * ds, mk);
        }
    }

    private static final class BT8c extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]), x3 = load(src, so + xo[3]);
            FloatVector x4 = load(src, so + xo[4]), x5 = load(src, so + xo[5]), x6 = load(src, so + xo[6]);
            FloatVector e = fma(x4, -5f, fma(x2, 4f, x6));
            FloatVector o = fma(x5, 0.5f, fma(x3, -2.5f, x1.mul(2f)));
            e.add(o).intoArray(dst, d + 5 * ds, mk);
            e.sub(o).intoArray(dst, d + 6 * ds, mk);
        }
    }

    private static final class A42 extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]);
            x0.intoArray(dst, d + 0 * ds, mk);
            x0.add(x1).intoArray(dst, d + 1 * ds, mk);
            x0.sub(x1).intoArray(dst, d + 2 * ds, mk);
            x1.intoArray(dst, d + 3 * ds, mk);
        }
    }

    private static final class A62 extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]);
            x0.intoArray(dst, d + 0 * ds, mk);
            x0.add(x1).intoArray(dst, d + 1 * ds, mk);
            x0.sub(x1).intoArray(dst, d + 2 * ds, mk);
            fma(x1, 2f, x0).intoArray(dst, d + 3 * ds, mk);
            fma(x1, -2f, x0).intoArray(dst, d + 4 * ds, mk);
            x1.intoArray(dst, d + 5 * ds, mk);
        }
    }

    private static final class A84a extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]);
            FloatVector x3 = load(src, so + xo[3]);
            FloatVector p = x0.add(x2);
            FloatVector q = x1.add(x3);
            FloatVector p4 = fma(x2, 4f, x0);
            FloatVector q4 = fma(x3, 8f, x1.mul(2f));
            x0.intoArray(dst, d + 0 * ds, mk);
            x3.intoArray(dst, d + 7 * ds, mk);
            p.add(q).intoArray(dst, d + 1 * ds, mk);
            p.sub(q).intoArray(dst, d + 2 * ds, mk);
            p4.add(q4).intoArray(dst, d + 3 * ds, mk);
            p4.sub(q4).intoArray(dst, d + 4 * ds, mk);
        }
    }

    private static final class A84b extends Part {
        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
            VectorMask<Float> mk = FS.indexInRange(0, lanes);
            FloatVector x0 = load(src, so + xo[0]), x1 = load(src, so + xo[1]), x2 = load(src, so + xo[2]);
            FloatVector x3 = load(src, so + xo[3]);
            FloatVector p = fma(x2, 0.25f, x0);
            FloatVector q = fma(x3, 0.125f, x1.mul(0.5f));
            p.add(q).intoArray(dst, d + 5 * ds, mk);
            p.sub(q).intoArray(dst, d + 6 * ds, mk);
        }
    }

    private static final class BT4T extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss);
            x0.mul(-1f).intoArray(dst, d + 0 * ds);
            x1.sub(x2).sub(x3).intoArray(dst, d + 1 * ds);
            x0.add(x1).add(x2).intoArray(dst, d + 2 * ds);
            x3.intoArray(dst, d + 3 * ds);
        }
    }

    private static final class BT6Ta extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            x0.mul(4f).intoArray(dst, d + 0 * ds);
            fma(x1.sub(x2), -4f, fma(x3.sub(x4), -2f, x5.mul(4f))).intoArray(dst, d + 1 * ds);
            fma(x0, -5f, x1.add(x2).mul(-4f)).sub(x3.add(x4)).intoArray(dst, d + 2 * ds);
        }
    }

    private static final class BT6Tb extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            fma(x3.sub(x4), 2f, fma(x5, -5f, x1.sub(x2))).intoArray(dst, d + 3 * ds);
            x0.add(x1.add(x2)).add(x3.add(x4)).intoArray(dst, d + 4 * ds);
            x5.intoArray(dst, d + 5 * ds);
        }
    }

    private static final class BT8Ta extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            FloatVector x6 = load(src, so + 6 * ss), x7 = load(src, so + 7 * ss);
            FloatVector s12 = x1.add(x2);
            FloatVector s34 = x3.add(x4);
            FloatVector s56 = x5.add(x6);
            x0.mul(-1f).intoArray(dst, d + 0 * ds);
            x7.intoArray(dst, d + 7 * ds);
            x0.add(s12).add(s34.add(s56)).intoArray(dst, d + 6 * ds);
            fma(x0, 5.25f, s12.add(fma(s34, 0.25f, s56.mul(4f)))).intoArray(dst, d + 2 * ds);
        }
    }

    private static final class BT8Tb extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            FloatVector x6 = load(src, so + 6 * ss);
            FloatVector s12 = x1.add(x2);
            FloatVector s34 = x3.add(x4);
            FloatVector s56 = x5.add(x6);
            fma(x0, -5.25f, fma(s12, -4.25f, fma(s34, -1.25f, s56.mul(-5f)))).intoArray(dst, d + 4 * ds);
        }
    }

    private static final class BT8Tc extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss), x3 = load(src, so + 3 * ss);
            FloatVector x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss), x6 = load(src, so + 6 * ss);
            FloatVector x7 = load(src, so + 7 * ss);
            FloatVector d12 = x1.sub(x2);
            FloatVector d34 = x3.sub(x4);
            FloatVector d56 = x5.sub(x6);
            fma(d34, 0.5f, fma(d56, 2f, d12)).sub(x7).intoArray(dst, d + 1 * ds);
            fma(d12, -4.25f, fma(d34.add(d56), -2.5f, x7.mul(5.25f))).intoArray(dst, d + 3 * ds);
            fma(d34, 2f, fma(d56, 0.5f, d12)).sub(x7.mul(5.25f)).intoArray(dst, d + 5 * ds);
        }
    }

    private static final class A42T extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss);
            x0.add(x1).add(x2).intoArray(dst, d + 0 * ds);
            x1.sub(x2).add(x3).intoArray(dst, d + 1 * ds);
        }
    }

    private static final class A62T extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            x0.add(x1).add(x2.add(x3)).add(x4).intoArray(dst, d + 0 * ds);
            fma(x3.sub(x4), 2f, x1.sub(x2).add(x5)).intoArray(dst, d + 1 * ds);
        }
    }

    private static final class A84Ta extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x0 = load(src, so + 0 * ss), x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss);
            FloatVector x3 = load(src, so + 3 * ss), x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss);
            FloatVector x6 = load(src, so + 6 * ss);
            FloatVector s12 = x1.add(x2);
            FloatVector s34 = x3.add(x4);
            FloatVector s56 = x5.add(x6);
            x0.add(s12).add(s34.add(s56)).intoArray(dst, d + 0 * ds);
            s12.add(fma(s34, 4f, s56.mul(0.25f))).intoArray(dst, d + 2 * ds);
        }
    }

    private static final class A84Tb extends Part {
        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        apply(src, so + a * sa + b * sb + c * sc, ss, dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }

        private static void apply(float[] src, int so, int ss, float[] dst, int d, int ds) {
            FloatVector x1 = load(src, so + 1 * ss), x2 = load(src, so + 2 * ss), x3 = load(src, so + 3 * ss);
            FloatVector x4 = load(src, so + 4 * ss), x5 = load(src, so + 5 * ss), x6 = load(src, so + 6 * ss);
            FloatVector x7 = load(src, so + 7 * ss);
            FloatVector d12 = x1.sub(x2);
            FloatVector d34 = x3.sub(x4);
            FloatVector d56 = x5.sub(x6);
            d12.add(fma(d34, 2f, d56.mul(0.5f))).intoArray(dst, d + 1 * ds);
            d12.add(fma(d34, 8f, fma(d56, 0.125f, x7))).intoArray(dst, d + 3 * ds);
        }
    }

    private static final class GenericPart extends Part {
        private final Taps tp;

        GenericPart(Taps tp) {
            this.tp = tp;
        }

        @Override
        void pass(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int[] xo,
                  float[] dst, int d, int da, int db, int dc, int ds, int tailLanes) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        applyGeneric(tp, src, so + a * sa + b * sb + c * sc, xo, dst, d + a * da + b * db + c * dc, ds,
                                c < nc - 1 ? L : tailLanes);
                    }
                }
            }
        }

        @Override
        void passTransposed(int na, int nb, int nc, float[] src, int so, int sa, int sb, int sc, int ss,
                            float[] dst, int d, int da, int db, int dc, int ds) {
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < nb; b++) {
                    for (int c = 0; c < nc; c++) {
                        applyTransposedGeneric(tp, src, so + a * sa + b * sb + c * sc, ss,
                                dst, d + a * da + b * db + c * dc, ds);
                    }
                }
            }
        }
    }

    /** {@code dst[u*step + i] += src[u*size + i]} for {@code u < blocks}, {@code i < size} (a multiple of L). */
    private static void addBlocks(float[] src, int blocks, int size, float[] dst, int step) {
        for (int u = 0; u < blocks; u++) {
            for (int i = 0; i < size; i += L) {
                int d = u * step + i;
                FloatVector.fromArray(FS, src, u * size + i).add(FloatVector.fromArray(FS, dst, d)).intoArray(dst, d);
            }
        }
    }

    private static void applyGeneric(Taps tp, float[] src, int so, int[] xo, float[] dst, int d, int ds, int lanes) {
        VectorMask<Float> mk = FS.indexInRange(0, lanes);
        for (int l = 0; l < tp.rowStart.length - 1; l++) {
            FloatVector acc = FloatVector.zero(FS);
            for (int q = tp.rowStart[l]; q < tp.rowStart[l + 1]; q++) {
                acc = fma(load(src, so + xo[tp.rowIndex[q]]), tp.rowCoef[q], acc);
            }
            acc.intoArray(dst, d + l * ds, mk);
        }
    }

    private static void applyTransposedGeneric(Taps tp, float[] src, int so, int ss, float[] dst, int d, int ds) {
        for (int j = 0; j < tp.colStart.length - 1; j++) {
            FloatVector acc = FloatVector.zero(FS);
            for (int q = tp.colStart[j]; q < tp.colStart[j + 1]; q++) {
                acc = fma(load(src, so + tp.colIndex[q] * ss), tp.colCoef[q], acc);
            }
            acc.intoArray(dst, d + j * ds);
        }
    }

    /** Copies plane rows {@code row0 ..} (zero outside the plane) into phase-split rows. */
    private static void splitRows(Tiling g, Taps tp, float[] plane, int planeOff, int row0, int rows, float[] p) {
        int m = g.step(), w = g.width(), phaseLen = tp.phaseLen, rowLen = tp.rowLen;
        Arrays.fill(p, 0, rows * rowLen, 0f);
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, g.height() - row0);
        // plane column col sits at phase (col + padLeft) % m, index (col + padLeft) / m; columns
        // beyond every tile's reach are left out
        int cols = Math.min(w, m * phaseLen - g.padLeft());
        int ph0 = g.padLeft() % m, q0 = g.padLeft() / m;
        for (int r = r0; r < r1; r++) {
            int src = planeOff + (row0 + r) * w, base = r * rowLen;
            int ph = ph0, q = q0;
            for (int col = 0; col < cols; col++) {
                p[base + ph * phaseLen + q] = plane[src + col];
                if (++ph == m) {
                    ph = 0;
                    q++;
                }
            }
        }
    }

    /**
     * {@link #tilesOut}'s passes for narrow planes, two tile rows per vector as in
     * {@link #tilesInPaired}: the tiles of rows 2q and 2q+1 are first moved into the halves of one
     * vector per position, and at the end each half is added into its own rows of {@code p}
     * ({@code [rows][size][L]}, zeroed by the caller). Lanes past the tiles carry garbage into
     * lanes of {@code p} that the final copy never reads.
     */
    private static void tilesOutPaired(Tiling g, Taps tp, Buffers b, float[] in, int inOff, int posStride,
                                       int tileRows, float[] p) {
        int m = g.step(), s = g.size(), n = g.n(), tw = g.tilesW(), half = L / 2;
        int pairs = (tileRows + 1) / 2, nn = n * n;
        float[] x = b.pairIn(pairs * nn * L);
        float[] z = b.half(pairs * n * s * L);
        float[] q = b.block(pairs * s * s * L + L);
        VectorMask<Float> lanes = FS.indexInRange(0, tw);
        for (int pq = 0; pq < pairs; pq++) {
            boolean second = 2 * pq + 1 < tileRows;
            for (int pos = 0; pos < nn; pos++) {
                int from = inOff + pos * posStride + 2 * pq * tw, to = (pq * nn + pos) * L;
                FloatVector.fromArray(FS, in, from).intoArray(x, to, lanes);
                if (second) {
                    FloatVector.fromArray(FS, in, from + tw).intoArray(x, to + half, lanes);
                }
            }
        }
        // horizontal: z[q][k][j] = sum_l X[k][l] * T[l][j]; vertical: q[q][i][j] = sum_k T[k][i] z[q][k][j]
        for (Part part : tp.transposedParts) {
            part.passTransposed(pairs, n, 1, x, 0, nn * L, n * L, 0, L, z, 0, n * s * L, s * L, 0, L);
        }
        for (Part part : tp.transposedParts) {
            part.passTransposed(pairs, s, 1, z, 0, n * s * L, L, 0, s * L, q, 0, s * s * L, L, 0, s * L);
        }
        // row i of tile row 2q (first half) and of tile row 2q+1 (second half) into p
        for (int pq = 0; pq < pairs; pq++) {
            boolean second = 2 * pq + 1 < tileRows;
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    int from = ((pq * s + i) * s + j) * L;
                    int a = ((2 * pq * m + i) * s + j) * L;
                    FloatVector.fromArray(FS, q, from).add(FloatVector.fromArray(FS, p, a)).intoArray(p, a);
                    if (second) {
                        int c = (((2 * pq + 1) * m + i) * s + j) * L;
                        FloatVector.fromArray(FS, q, from + half).add(FloatVector.fromArray(FS, p, c)).intoArray(p, c);
                    }
                }
            }
        }
    }

    /**
     * Adds up, or sets, the plane cells from rows {@code p [rows][size][tv]} of tile columns kept
     * apart: cell {@code col} of a row gets {@code p[r][j][tx]} for every {@code tx*step + j - padLeft == col}.
     */
    private static void mergeRows(Tiling g, int tv, float[] p, int row0, int rows, float[] plane, int planeOff,
                                  float bias, boolean relu, boolean accumulate) {
        int m = g.step(), s = g.size(), w = g.width(), tw = g.tilesW();
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, g.height() - row0);
        for (int r = r0; r < r1; r++) {
            int dst = planeOff + (row0 + r) * w;
            for (int j = 0; j < s; j++) {
                // tiles whose column j lies in the plane: 0 <= tx*m + j - padLeft < w
                int lo = Math.max(0, Math.floorDiv(g.padLeft() - j + m - 1, m));
                int hi = Math.min(tw, Math.floorDiv(w + g.padLeft() - j + m - 1, m));
                int src = (r * s + j) * tv;
                int col = lo * m + j - g.padLeft();
                if (accumulate) {
                    for (int tx = lo; tx < hi; tx++, col += m) {
                        plane[dst + col] += p[src + tx];
                    }
                } else {
                    for (int tx = lo; tx < hi; tx++, col += m) {
                        float v = p[src + tx] + bias;
                        plane[dst + col] = relu ? (v > 0f ? v : 0f) : v;
                    }
                }
            }
        }
    }
}
