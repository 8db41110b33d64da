package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.loss.SparseCategoricalCrossentropy;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AveragePooling2D, GlobalAveragePooling2D and GlobalMaxPooling2D: known values (TensorFlow's
 * avg_pool with SAME padding counts only the cells inside the image; reduce_max splits its gradient
 * among ties), finite-difference checks on 3-channel inputs, configuration and model-file round
 * trips, and a 3-channel model trained with fit.
 */
class PoolingLayersTest {

    /** {@code [n, c, h, w]} holding 1, 2, 3, ... plane by plane, plus 100 per channel. */
    private static Tensor counting(int n, int c, int h, int w) {
        Tensor t = Tensor.zeros(n, c, h, w);
        for (int i = 0; i < t.size(); i++) {
            int plane = i / (h * w);
            t.data()[i] = (i % (h * w)) + 1 + 100 * (plane % c);
        }
        return t;
    }

    private static Tensor random(long seed, int... shape) {
        return NewActivationsTest.random(seed, shape);
    }

    private static float[] forward(Layer l, Tensor x) {
        int[] s = x.shape();
        l.build(java.util.Arrays.copyOfRange(s, 1, s.length), new Rng(1));
        return l.forward(x, false).data();
    }

    @Test
    void averagePoolingValidOnThreeChannels() {
        // each channel [[1 2 3 4], [5 6 7 8], [9 10 11 12]] + 100c; 2x2 windows, stride 2: (1+2+5+6)/4, (3+4+7+8)/4
        float[] y = forward(new AveragePooling2D(), counting(1, 3, 3, 4));
        assertThat(y).containsExactly(3.5f, 5.5f, 103.5f, 105.5f, 203.5f, 205.5f);
    }

    @Test
    void averagePoolingSameCountsOnlyTheCellsInsideTheImage() {
        // [[1 2 3], [4 5 6], [7 8 9]], 2x2 stride 2 same: pads one row and column at the bottom-right
        float[] y = forward(new AveragePooling2D(2, 2, 2, 2, Padding.SAME), counting(1, 1, 3, 3));
        assertThat(y).containsExactly((1 + 2 + 4 + 5) / 4f, (3 + 6) / 2f, (7 + 8) / 2f, 9f);
        // 3x3 stride 1 same: a corner averages 4 cells, an edge 6, the centre 9
        float[] z = forward(new AveragePooling2D(3, 3, 1, 1, Padding.SAME), counting(1, 1, 3, 3));
        assertThat(z[0]).isEqualTo((1 + 2 + 4 + 5) / 4f);
        assertThat(z[1]).isEqualTo((1 + 2 + 3 + 4 + 5 + 6) / 6f);
        assertThat(z[4]).isEqualTo(5f);
        assertThat(new AveragePooling2D().outputShapeFor(new int[] {3, 5, 7})).containsExactly(3, 2, 3);
        assertThat(new AveragePooling2D(2, 2, 2, 2, Padding.SAME).outputShapeFor(new int[] {3, 5, 7})).containsExactly(3, 3, 4);
    }

    @Test
    void globalPoolingKnownValues() {
        Tensor x = counting(2, 3, 2, 3); // channel c of each image: 1..6 + 100c
        assertThat(forward(new GlobalAveragePooling2D(), x)).containsExactly(3.5f, 103.5f, 203.5f, 3.5f, 103.5f, 203.5f);
        assertThat(forward(new GlobalMaxPooling2D(), x)).containsExactly(6f, 106f, 206f, 6f, 106f, 206f);
        assertThat(new GlobalAveragePooling2D().outputShapeFor(new int[] {5, 9, 2})).containsExactly(5);
        assertThatThrownBy(() -> new GlobalMaxPooling2D().outputShapeFor(new int[] {5})).hasMessageContaining("[channels, height, width]");
    }

    @Test
    void globalMaxSplitsTheGradientAmongTies() {
        GlobalMaxPooling2D l = new GlobalMaxPooling2D();
        Tensor x = Tensor.wrap(new float[] {1, 4, 4, 2, /* second channel */ 0, 3, -1, 2}, 1, 2, 2, 2);
        forward(l, x);
        float[] dx = l.backward(Tensor.wrap(new float[] {1f, 6f}, 1, 2)).data();
        assertThat(dx).containsExactly(0f, 0.5f, 0.5f, 0f, 0f, 6f, 0f, 0f);
    }

    @Test
    void aNaNMaximumRoutesTheGradientToTheFirstNaNAsMaxPoolingDoes() {
        // GlobalMaxPooling2D routed nothing (NaN equals no cell), MaxPooling2D the whole dy to the
        // first NaN: the same 2x2 planes through both now give the same gradient
        float nan = Float.NaN;
        Tensor x = Tensor.wrap(new float[] {1, nan, nan, 2, /* second channel */ nan, 5, 7, -1, /* finite */ 0, 3, 3, 1}, 1, 3, 2, 2);
        float[] dy = {2f, -4f, 6f};
        GlobalMaxPooling2D global = new GlobalMaxPooling2D();
        float[] y = forward(global, x);
        assertThat(y[0]).isNaN();
        assertThat(y[1]).isNaN();
        assertThat(y[2]).isEqualTo(3f);
        float[] dx = global.backward(Tensor.wrap(dy.clone(), 1, 3)).data();
        assertThat(dx).containsExactly(0f, 2f, 0f, 0f, -4f, 0f, 0f, 0f, 0f, 3f, 3f, 0f);
        MaxPooling2D pool = new MaxPooling2D();
        forward(pool, x);
        float[] dxPool = pool.backward(Tensor.wrap(dy.clone(), 1, 3, 1, 1)).data();
        assertThat(java.util.Arrays.copyOf(dx, 8)).containsExactly(java.util.Arrays.copyOf(dxPool, 8));
    }

    private static void assertGradients(Layer layer, int... inputShape) {
        layer.build(inputShape, new Rng(7));
        int[] batched = new int[inputShape.length + 1];
        batched[0] = 3;
        System.arraycopy(inputShape, 0, batched, 1, inputShape.length);
        // pooling is linear (averages) or piecewise linear with kinks only at ties (max)
        GradCheck.Result r = GradCheck.check(layer, random(42, batched), true, 1e-2, 60, 99);
        assertThat(r.passed()).as("%s %s: %s", layer.type(), layer.config(), r).isTrue();
        assertThat(r.skipped()).as("skipped: %s", r).isLessThan(Math.max(3, r.checked() / 10));
    }

    @ParameterizedTest(name = "AveragePooling2D {0}x{1} stride {2} {3}")
    @CsvSource({"2,2,2,valid", "2,2,2,same", "3,3,2,same", "3,2,1,same", "2,3,1,valid", "1,1,1,valid", "3,3,3,same"})
    void averagePoolingGradients(int ph, int pw, int stride, String padding) {
        assertGradients(new AveragePooling2D(ph, pw, stride, stride, Padding.parse(padding)), 3, 5, 7);
    }

    @Test
    void globalPoolingGradients() {
        assertGradients(new GlobalAveragePooling2D(), 3, 5, 7);
        assertGradients(new GlobalMaxPooling2D(), 3, 5, 7);
    }

    @Test
    void configurationsComeBack() {
        for (Layer l : List.<Layer>of(new AveragePooling2D(3, 2, 1, 2, Padding.SAME), new GlobalAveragePooling2D(),
                new GlobalMaxPooling2D())) {
            Layer back = Layers.fromConfig(l.type(), l.config());
            assertThat(back.getClass()).isEqualTo(l.getClass());
            assertThat(back.config()).isEqualTo(l.config());
        }
    }

    /** Three colour channels, the class given by which channel is brightest in the centre. */
    private static TensorDataset colours(int n, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 3, 8, 8), y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            int cls = r.nextInt(3);
            y.data()[i] = cls;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 64; p++) {
                    int row = p / 8, col = p % 8;
                    boolean centre = row >= 2 && row < 6 && col >= 2 && col < 6;
                    x.data()[(i * 3 + c) * 64 + p] = (float) r.uniform(0, 0.5) + (centre && c == cls ? 0.6f : 0f);
                }
            }
        }
        return new TensorDataset(x, y);
    }

    private static Sequential colourNet(long seed) {
        Sequential m = new Sequential(3, 8, 8).seed(seed)
                .add(new Conv2D(6, 3).padding(Padding.SAME).activation(Activation.ELU))
                .add(new AveragePooling2D())
                .add(new Conv2D(8, 3).padding(Padding.SAME))
                .add(new LeakyReLU())
                .add(new GlobalMaxPooling2D())
                .add(new Dense(3, Activation.SOFTMAX));
        m.compile(new Adam(1e-2, 0.9, 0.999, 1e-7), new SparseCategoricalCrossentropy());
        return m;
    }

    @Test
    void aThreeChannelModelTrainsAndComesBackFromItsFile() throws Exception {
        TensorDataset d = colours(120, 3);
        Sequential m = colourNet(4);
        History h = m.fit(d, new FitOptions().batchSize(20).epochs(6));
        assertThat(h.get("loss").get(5)).isLessThan(h.get("loss").get(0) * 0.6);
        assertThat(h.get("accuracy").get(5)).isGreaterThan(0.8);

        Sequential back = ModelFile.fromBytes(ModelFile.toBytes(m, true, Map.of()), "mem").model();
        Tensor x = Tensor.zeros(10, 3, 8, 8);
        System.arraycopy(((Tensor) xOf(d)).data(), 0, x.data(), 0, x.size());
        assertThat(back.predict(x).data()).containsExactly(m.predict(x).data());
        assertThat(back.summary()).isEqualTo(m.summary());
        assertThat(back.evaluate(d, 60).loss()).isCloseTo(m.evaluate(d, 60).loss(), within(0.0));
    }

    private static Object xOf(TensorDataset d) {
        int n = d.size();
        Tensor x = Tensor.zeros(n, 3, 8, 8), y = Tensor.zeros(n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        d.batch(idx, 0, n, x.data(), y.data());
        return x;
    }
}
