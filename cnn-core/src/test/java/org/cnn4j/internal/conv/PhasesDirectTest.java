package org.cnn4j.internal.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Packing;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.internal.kernels.VectorKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PhasedConv} over a {@link PackedWinograd} that reads the strided input itself
 * ({@link PackedWinograd#readingPhasesOf}) gives, bit for bit, what it gives over phase planes:
 * the output, the input gradient, the kernel and bias gradients; on v2's two 5x5 stride-2
 * convolutions, on odd sizes whose phases overrun the input or leave input cells unseen (valid
 * padding), and with the vector kernels and their scalar twin. And {@code Packing#packPhases} is
 * {@code Packing#pack} of the phase planes over a whole region, zeros past the planes included,
 * which the engines' results alone do not always show (those cells meet only discarded outputs).
 */
class PhasesDirectTest {
    private final SplittableRandom rnd = new SplittableRandom(10);

    @ParameterizedTest(name = "{0}: {1}->{2} channels, {3}x{3} kernel, {4}x{5}, stride {6}, same {7}, F({8}), relu {9}, batch {10}")
    @CsvSource({
        "vector, 32, 32, 5, 24, 24, 2, true, 4, true, 3", "scalar, 32, 32, 5, 24, 24, 2, true, 4, true, 2",
        "vector, 64, 64, 5, 8, 8, 2, true, 2, true, 5", "scalar, 64, 64, 5, 8, 8, 2, true, 2, true, 2",
        "vector, 9, 21, 5, 13, 11, 2, true, 2, false, 2", "scalar, 9, 21, 5, 13, 11, 2, true, 2, false, 2",
        "vector, 5, 17, 5, 14, 16, 2, false, 2, true, 3", "scalar, 5, 17, 5, 14, 16, 2, false, 2, true, 3",
        "vector, 3, 8, 5, 12, 9, 3, true, 2, true, 2", "vector, 16, 16, 5, 7, 7, 2, true, 2, true, 1",
        // an even kernel, valid, odd sides: the last input row and column lie in phase cells past
        // the phase planes, which neither path may read, and whose gradient must come back 0
        "vector, 6, 8, 4, 9, 11, 2, false, 2, true, 2", "scalar, 6, 8, 4, 11, 9, 2, false, 2, false, 2",
        "vector, 6, 8, 4, 17, 19, 2, false, 4, true, 2", "scalar, 6, 8, 4, 19, 17, 2, false, 4, false, 2"})
    void directPhasesGiveThePlanesBitsBothWays(String kind, int channels, int filters, int r, int h, int w, int stride,
                                               boolean same, int m, boolean relu, int n) {
        Kernels k = kind.equals("vector") ? new VectorKernels() : new ScalarKernels();
        ConvGeometry g = ConvGeometry.of(channels, h, w, r, r, stride, stride, same);
        PackedWinograd planes = new PackedWinograd(k, PhasedConv.phases(g), filters, m);
        PackedWinograd direct = new PackedWinograd(k, PhasedConv.phases(g), filters, m).readingPhasesOf(g);
        PhasedConv a = new PhasedConv(g, filters, new ConvEngines.Choice(planes, planes, planes.name()));
        PhasedConv b = new PhasedConv(g, filters, new ConvEngines.Choice(direct, direct, direct.name()));

        float[] x = random(n * g.inSize(), 1f), kernel = random(filters * g.patchSize(), 0.2f), bias = random(filters, 0.1f);
        float[] ya = new float[n * filters * g.outPixels()], yb = new float[ya.length];
        a.forward(x, kernel, bias, relu, ya, n);
        b.forward(x, kernel, bias, relu, yb, n);
        assertThat(bits(yb)).as("output").isEqualTo(bits(ya));

        float[] dy = random(ya.length, 1f);
        // dx starts as garbage: cells no output sees must come back 0 in both
        float[] dxa = random(x.length, 9f), dxb = random(x.length, 9f);
        float[] dka = new float[kernel.length], dkb = new float[kernel.length], dba = new float[filters], dbb = new float[filters];
        a.backward(x, kernel, ya, relu, dy.clone(), dxa, dka, dba, n);
        b.backward(x, kernel, yb, relu, dy.clone(), dxb, dkb, dbb, n);
        assertThat(bits(dxb)).as("input gradient").isEqualTo(bits(dxa));
        assertThat(bits(dkb)).as("kernel gradient").isEqualTo(bits(dka));
        assertThat(bits(dbb)).as("bias gradient").isEqualTo(bits(dba));
    }

    @ParameterizedTest(name = "{0}x{0} kernel, {1}x{2}, stride {3}, same {4}")
    @CsvSource({"5, 24, 24, 2, true", "4, 9, 11, 2, false", "4, 11, 9, 2, false", "5, 12, 9, 3, true", "3, 10, 7, 2, false"})
    void packPhasesIsPackOfThePhasePlanesOverTheWholeRegion(int r, int h, int w, int stride, boolean same) {
        ConvGeometry g = ConvGeometry.of(3, h, w, r, r, stride, stride, same), ph = PhasedConv.phases(g);
        int c = g.channels(), cp = (ph.channels() + 15) / 16 * 16, rows = ph.height() + 3, cols = ph.width() + 2;
        float[] x = random(g.inSize(), 1f);
        // the phase planes by their definition: z[(c·s + a)·s + b][i][j] = xpad[c][s·i + a][s·j + b]
        float[] z = new float[ph.inSize()];
        for (int ch = 0; ch < c; ch++) {
            for (int a = 0; a < stride; a++) {
                for (int b = 0; b < stride; b++) {
                    for (int i = 0; i < ph.height(); i++) {
                        for (int j = 0; j < ph.width(); j++) {
                            int iy = stride * i + a - g.padTop(), ix = stride * j + b - g.padLeft();
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                z[(((ch * stride + a) * stride + b) * ph.height() + i) * ph.width() + j] = x[(ch * h + iy) * w + ix];
                            }
                        }
                    }
                }
            }
        }
        for (int row0 : new int[] {0, 1}) {
            float[] want = random(rows * cols * cp, 5f), got = random(rows * cols * cp, 5f);
            Packing.pack(z, 0, ph.channels(), ph.height(), ph.width(), row0, rows, 0, cols, want, 0, cp);
            Packing.packPhases(x, 0, g, ph.height(), ph.width(), row0, rows, 0, cols, got, 0, cp);
            assertThat(bits(got)).as("cells from row " + row0).isEqualTo(bits(want));
            // and back: each input cell that a phase cell of the region, inside the planes, covers
            // gets its value; every other cell keeps what it held
            float[] dx = random(x.length, 7f), expected = dx.clone();
            for (int i = 0; i < x.length; i++) {
                int iy = i / w % h, ix = i % w;
                int pi = Math.floorDiv(iy + g.padTop(), stride), pj = Math.floorDiv(ix + g.padLeft(), stride);
                if (pi >= row0 && pi < Math.min(row0 + rows, ph.height()) && pj < Math.min(cols, ph.width())) {
                    expected[i] = x[i];
                }
            }
            Packing.unpackPhases(want, 0, cp, row0, rows, 0, cols, dx, 0, g, ph.height(), ph.width());
            assertThat(bits(dx)).as("input cells from row " + row0).isEqualTo(bits(expected));
        }
    }

    @Test
    void theEnginesChoiceReadsV2sStridedInputDirectly() {
        Kernels k = new VectorKernels();
        ConvGeometry g = ConvGeometry.of(32, 24, 24, 5, 5, 2, 2, true);
        ConvEngines.Choice c = ConvEngines.choose(k, g, 32, ConvTuning.DEFAULT.with(ConvTuning.Algorithm.AUTO));
        assertThat(c.forward()).isInstanceOf(PhasedConv.class);
        assertThat(((PhasedConv) c.forward()).direct()).as("reads the strided input itself").isTrue();
        assertThat(c.name()).isEqualTo("phases 2x2, winograd F(4x4, 3x3)");
        // an inner engine that is not packed Winograd both ways keeps the phase planes
        ConvGeometry small = ConvGeometry.of(2, 12, 12, 5, 5, 2, 2, true); // 8 phase channels, 4 filters: planar
        ConvEngines.Choice planar = ConvEngines.choose(k, small, 4, ConvTuning.DEFAULT.with(ConvTuning.Algorithm.AUTO));
        assertThat(((PhasedConv) planar.forward()).direct()).as(planar.name()).isFalse();
    }

    @Test
    void refusesAGeometryThatIsNotThePhases() {
        Kernels k = new ScalarKernels();
        ConvGeometry g = ConvGeometry.of(8, 10, 10, 5, 5, 2, 2, true);
        assertThatThrownBy(() -> new PackedWinograd(k, ConvGeometry.of(8, 10, 10, 3, 3, 1, 1, true), 8, 2, g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the phase convolution of");
    }

    private float[] random(int size, float scale) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
