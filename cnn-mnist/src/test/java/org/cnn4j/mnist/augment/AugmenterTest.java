package org.cnn4j.mnist.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.init.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AugmenterTest {
    private static final int H = 28;
    private static final int W = 28;

    private static Augmenter augmenter(Interpolation interpolation, CenterConvention center) {
        return new Augmenter(AugmentConfig.builder().interpolation(interpolation).center(center).build());
    }

    private static float[] randomImage(long seed) {
        Rng rng = new Rng(seed);
        float[] img = new float[H * W];
        for (int i = 0; i < img.length; i++) {
            img[i] = rng.nextFloat();
        }
        return img;
    }

    private static float[] onePixel(int r, int c) {
        float[] img = new float[H * W];
        img[r * W + c] = 1;
        return img;
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void zeroRangesGiveTheIdentityExactlyAndDrawNothing(Interpolation interpolation) {
        for (CenterConvention center : CenterConvention.values()) {
            Augmenter aug = augmenter(interpolation, center);
            float[] in = randomImage(7);
            float[] out = new float[H * W];
            Rng rng = new Rng(42);
            aug.augment(in, out, H, W, rng);
            assertThat(out).containsExactly(in);
            // Keras skips a draw whose range is zero.
            assertThat(rng.state()).isEqualTo(42);

            float[] out2 = new float[H * W];
            aug.transform(in, out2, H, W, 0, 0, 0, 1, 1);
            assertThat(out2).containsExactly(in);
        }
    }

    @Test
    void rotationBy90DegreesMovesAKnownPixelToAKnownPlace() {
        // Output (r, c) reads input at R(90)(r - o, c - o) + o, i.e. (o - (c - o), o + (r - o)).
        // With o = 13.5 the input pixel (2, 13) lands at output (13, 25): top edge to right edge.
        float[] out = new float[H * W];
        augmenter(Interpolation.NEAREST, CenterConvention.CORRECT)
                .transform(onePixel(2, 13), out, H, W, 90, 0, 0, 1, 1);
        assertThat(out[13 * W + 25]).isEqualTo(1f);
        assertThat(sum(out)).isEqualTo(1.0);

        augmenter(Interpolation.BILINEAR, CenterConvention.CORRECT)
                .transform(onePixel(2, 13), out, H, W, 90, 0, 0, 1, 1);
        assertThat(out[13 * W + 25]).isCloseTo(1f, within(1e-6f));
        assertThat(sum(out)).isCloseTo(1.0, within(1e-5));

        // The 2017 centre o = 14.5 is one pixel off, so the same pixel lands at (13, 27).
        augmenter(Interpolation.NEAREST, CenterConvention.KERAS_2017)
                .transform(onePixel(2, 13), out, H, W, 90, 0, 0, 1, 1);
        assertThat(out[13 * W + 27]).isEqualTo(1f);
        assertThat(sum(out)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void positiveShiftMovesContentTowardLowerIndices(Interpolation interpolation) {
        Augmenter aug = augmenter(interpolation, CenterConvention.CORRECT);
        float[] out = new float[H * W];
        // tx shifts rows: output row r reads input row r + 3.
        aug.transform(onePixel(10, 5), out, H, W, 0, 3, 0, 1, 1);
        assertThat(out[7 * W + 5]).isEqualTo(1f);
        assertThat(sum(out)).isEqualTo(1.0);
        // ty shifts columns: output column c reads input column c - (-2).
        aug.transform(onePixel(10, 5), out, H, W, 0, 0, -2, 1, 1);
        assertThat(out[10 * W + 7]).isEqualTo(1f);
        assertThat(sum(out)).isEqualTo(1.0);
    }

    @Test
    void halfPixelShiftSplitsAPixelInBilinearMode() {
        float[] out = new float[H * W];
        augmenter(Interpolation.BILINEAR, CenterConvention.CORRECT)
                .transform(onePixel(10, 5), out, H, W, 0, 0.5, 0, 1, 1);
        assertThat(out[9 * W + 5]).isEqualTo(0.5f);
        assertThat(out[10 * W + 5]).isEqualTo(0.5f);
        assertThat(sum(out)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void fillModeNearestReplicatesTheEdge(Interpolation interpolation) {
        float[] in = new float[H * W];
        for (int r = 0; r < H; r++) {
            in[r * W] = 1; // left column lit
        }
        float[] out = new float[H * W];
        augmenter(interpolation, CenterConvention.CORRECT).transform(in, out, H, W, 0, 0, -3, 1, 1);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                assertThat(out[r * W + c]).as("(%d,%d)", r, c).isEqualTo(c <= 3 ? 1f : 0f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void zoomAboveOneShrinksTheInkBoundingBox(Interpolation interpolation) {
        float[] in = new float[H * W];
        for (int r = 8; r < 20; r++) {
            for (int c = 10; c < 18; c++) {
                in[r * W + c] = 1;
            }
        }
        Augmenter aug = augmenter(interpolation, CenterConvention.CORRECT);
        float[] out = new float[H * W];
        aug.transform(in, out, H, W, 0, 0, 0, 1.25, 1.25);
        int[] box = inkBox(out);
        assertThat(box[2] - box[0]).isLessThan(12);
        assertThat(box[3] - box[1]).isLessThan(8);
        // Independent factors: zoom only the columns (zy) and the rows stay as they were.
        aug.transform(in, out, H, W, 0, 0, 0, 1, 1.25);
        box = inkBox(out);
        assertThat(box[2] - box[0]).isEqualTo(12);
        assertThat(box[3] - box[1]).isLessThan(8);
        // And zoom below one enlarges.
        aug.transform(in, out, H, W, 0, 0, 0, 0.8, 0.8);
        box = inkBox(out);
        assertThat(box[2] - box[0]).isGreaterThan(12);
        assertThat(box[3] - box[1]).isGreaterThan(8);
    }

    /** {rowMin, colMin, rowEnd, colEnd} of pixels > 0.5. */
    private static int[] inkBox(float[] img) {
        int r0 = H;
        int c0 = W;
        int r1 = -1;
        int c1 = -1;
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                if (img[r * W + c] > 0.5f) {
                    r0 = Math.min(r0, r);
                    c0 = Math.min(c0, c);
                    r1 = Math.max(r1, r);
                    c1 = Math.max(c1, c);
                }
            }
        }
        return new int[] {r0, c0, r1 + 1, c1 + 1};
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void outputsStayInTheUnitInterval(Interpolation interpolation) {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel().toBuilder().interpolation(interpolation).build());
        Rng rng = new Rng(3);
        float[] in = randomImage(11);
        for (int i = 0; i < in.length; i += 3) {
            in[i] = 1f; // many exact ones, where rounding could overshoot
        }
        float[] out = new float[H * W];
        for (int n = 0; n < 300; n++) {
            aug.augment(in, out, H, W, rng);
            for (float v : out) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameOutputAndAnotherSeedDoesNot() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        float[] in = randomImage(5);
        float[] a = new float[H * W];
        float[] b = new float[H * W];
        float[] c = new float[H * W];
        aug.augment(in, a, H, W, new Rng(99));
        aug.augment(in, b, H, W, new Rng(99));
        aug.augment(in, c, H, W, new Rng(100));
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void drawsFollowTheKerasOrderAndScaling() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        double[] p = new double[Augmenter.PARAMS];
        aug.sample(28, 40, new Rng(8), p);
        Rng twin = new Rng(8);
        assertThat(p[0]).isEqualTo(twin.uniform(-10, 10));
        assertThat(p[1]).isEqualTo(twin.uniform(-0.1, 0.1) * 28); // tx: height shift, rows
        assertThat(p[2]).isEqualTo(twin.uniform(-0.1, 0.1) * 40); // ty: width shift, columns
        assertThat(p[3]).isEqualTo(twin.uniform(0.9, 1.1));
        assertThat(p[4]).isEqualTo(twin.uniform(0.9, 1.1));
    }

    @Test
    void augmentUsesTheSampledParameters() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        float[] in = randomImage(21);
        double[] p = new double[Augmenter.PARAMS];
        aug.sample(H, W, new Rng(4), p);
        float[] expected = new float[H * W];
        aug.transform(in, expected, H, W, p[0], p[1], p[2], p[3], p[4]);
        float[] actual = new float[H * W];
        aug.augment(in, actual, H, W, new Rng(4));
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void offsetsAddressImagesInsideLargerArrays() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        float[] single = randomImage(13);
        float[] dataset = new float[3 * H * W];
        System.arraycopy(single, 0, dataset, 2 * H * W, H * W);
        float[] expected = new float[H * W];
        aug.augment(single, expected, H, W, new Rng(6));
        float[] batch = new float[2 * H * W];
        aug.augment(dataset, 2 * H * W, batch, H * W, H, W, new Rng(6));
        float[] actual = java.util.Arrays.copyOfRange(batch, H * W, 2 * H * W);
        assertThat(actual).containsExactly(expected);
        assertThat(java.util.Arrays.copyOfRange(batch, 0, H * W)).containsOnly(0f);
    }

    @Test
    void nonSquareImagesWork() {
        int h = 10;
        int w = 30;
        float[] in = new float[h * w];
        in[4 * w + 20] = 1;
        float[] out = new float[h * w];
        augmenter(Interpolation.NEAREST, CenterConvention.CORRECT).transform(in, out, h, w, 0, 1, -5, 1, 1);
        assertThat(out[3 * w + 25]).isEqualTo(1f);
    }

    @Test
    void rejectsOverlapAndShortArrays() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        float[] buf = new float[H * W];
        assertThatThrownBy(() -> aug.augment(buf, buf, H, W, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> aug.augment(new float[10], buf, H, W, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    @Test
    void statisticsOfTheDrawsMatchTheRanges() {
        Augmenter aug = new Augmenter(AugmentConfig.kaggleKernel());
        Rng rng = new Rng(17);
        double[] p = new double[Augmenter.PARAMS];
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < 5000; i++) {
            aug.sample(H, W, rng, p);
            for (int k = 0; k < p.length; k++) {
                min[k] = Math.min(min[k], p[k]);
                max[k] = Math.max(max[k], p[k]);
            }
        }
        assertThat(min[0]).isBetween(-10.0, -9.9);
        assertThat(max[0]).isBetween(9.9, 10.0);
        assertThat(min[1]).isBetween(-2.8, -2.7);
        assertThat(max[2]).isBetween(2.7, 2.8);
        assertThat(min[3]).isBetween(0.9, 0.91);
        assertThat(max[4]).isBetween(1.09, 1.1);
    }
}
