package org.cnn4j.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Param;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.Test;

/**
 * The seed CNN's initial weights against Keras's definitions (Keras 2.0.8 {@code keras/initializers.py}
 * {@code _compute_fans} and {@code VarianceScaling(scale=1, mode='fan_avg', distribution='uniform')};
 * Keras 3 {@code compute_fans} and {@code GlorotUniform}): every kernel is U(-L, L) with
 * {@code L = sqrt(3 * scale / ((fan_in + fan_out) / 2))}, where for a Keras conv kernel
 * {@code (kh, kw, in, out)} the receptive field {@code kh*kw} multiplies both fans and for a Dense
 * kernel {@code (in, units)} the fans are the two dimensions; every bias is {@code zeros}.
 */
class KerasInitializersTest {

    /** Keras's {@code _compute_fans} on the Keras-layout shape. */
    static double[] kerasFans(int[] kerasShape) {
        if (kerasShape.length == 2) {
            return new double[] {kerasShape[0], kerasShape[1]};
        }
        double receptive = 1;
        for (int i = 0; i < kerasShape.length - 2; i++) {
            receptive *= kerasShape[i];
        }
        return new double[] {kerasShape[kerasShape.length - 2] * receptive, kerasShape[kerasShape.length - 1] * receptive};
    }

    /** cnn4j keeps conv kernels as [F, C, KH, KW]; Keras as (KH, KW, C, F). Dense is (in, units) in both. */
    static int[] kerasShape(int[] cnn4jShape) {
        return cnn4jShape.length == 4 ? new int[] {cnn4jShape[2], cnn4jShape[3], cnn4jShape[1], cnn4jShape[0]} : cnn4jShape;
    }

    static double glorotLimit(int[] kerasShape) {
        double[] f = kerasFans(kerasShape);
        double scale = 1;
        return Math.sqrt(3 * scale / ((f[0] + f[1]) / 2));
    }

    @Test
    void kernelsAreGlorotUniformWithKerasFansAndBiasesZeros() {
        for (long seed : new long[] {1, 2, 3}) {
            Sequential m = ModelZoo.digitRecognizer(seed);
            m.params(); // builds the layers, which initialises them
            List<Double> limits = new ArrayList<>();
            for (Layer layer : m.layers()) {
                for (Param p : layer.params()) {
                    float[] v = p.value().data();
                    if (p.name().equals("bias")) {
                        assertThat(v).as("%s bias", layer.name()).containsOnly(0f);
                        continue;
                    }
                    double limit = glorotLimit(kerasShape(p.value().shape()));
                    limits.add(limit);
                    double max = 0, sum = 0, sumSq = 0;
                    for (float w : v) {
                        max = Math.max(max, Math.abs(w));
                        sum += w;
                        sumSq += (double) w * w;
                    }
                    int n = v.length;
                    String what = layer.name() + " seed " + seed;
                    assertThat(max).as("%s: inside the limit", what).isLessThanOrEqualTo(limit);
                    // the largest of n >= 800 uniform draws reaches 99% of the limit except with odds < 1e-3
                    assertThat(max).as("%s: reaches the limit", what).isGreaterThan(0.99 * limit);
                    // mean 0 and variance L^2/3, each within 5 standard errors
                    assertThat(sum / n).as("%s mean", what).isCloseTo(0, within(5 * limit / Math.sqrt(3.0 * n)));
                    double var = limit * limit / 3;
                    assertThat(sumSq / n).as("%s variance", what).isCloseTo(var, within(5 * var * Math.sqrt(0.8 / n)));
                }
            }
            // KERAS-SEMANTICS.md A4's figures for this model, from the same definition
            assertThat(limits).containsExactly(Math.sqrt(6.0 / (25 + 800)), Math.sqrt(6.0 / (800 + 800)),
                    Math.sqrt(6.0 / (288 + 576)), Math.sqrt(6.0 / (576 + 576)), Math.sqrt(6.0 / (3136 + 256)),
                    Math.sqrt(6.0 / (256 + 10)));
        }
    }
}
