package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.internal.kernels.Winograd;
import org.junit.jupiter.api.Test;

/**
 * The F(2, 3) example of {@code docs/backprop.md} ("The same convolution with fewer
 * multiplications: Winograd"): the matrices printed there are the ones {@link Winograd} builds, and
 * every number of the example follows from them.
 */
class WinogradExampleTest {
    static final double[][] BT = {{-1, 0, 1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, -1, 0, 1}};
    static final double[][] G = {{-1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    static final double[][] AT = {{1, 1, 1, 0}, {0, 1, -1, 1}};
    static final double[] D = {1, 2, 3, 4};
    static final double[] TAPS = {1, 2, -1};

    @Test
    void thePrintedMatricesAreTheOnesTheLibraryBuilds() {
        Winograd w = Winograd.of(2, 3);
        assertThat(w.bt()).isDeepEqualTo(BT);
        assertThat(w.g()).isDeepEqualTo(G);
        assertThat(w.at()).isDeepEqualTo(AT);
    }

    @Test
    void forwardNumbersOfTheExample() {
        double[] v = times(BT, D);
        double[] u = times(G, TAPS);
        double[] m = new double[4];
        for (int i = 0; i < 4; i++) {
            m[i] = u[i] * v[i];
        }
        assertThat(v).containsExactly(2, 5, 1, 2);
        assertThat(u).containsExactly(-1, 1, -1, -1);
        assertThat(m).containsExactly(-2, 5, -1, -2);
        assertThat(times(AT, m)).containsExactly(2, 4).containsExactly(direct(D, TAPS));
    }

    @Test
    void backwardNumbersOfTheExample() {
        double[] dy = {1, 0};
        double[] dm = times(transpose(AT), dy);
        assertThat(dm).containsExactly(1, 1, 1, 0);
        double[] v = times(BT, D), u = times(G, TAPS);
        double[] dmV = new double[4], dmU = new double[4];
        for (int i = 0; i < 4; i++) {
            dmV[i] = dm[i] * v[i];
            dmU[i] = dm[i] * u[i] + 0.0; // + 0.0 turns 0 * -1 = -0.0 into the 0 the page prints
        }
        assertThat(dmV).containsExactly(2, 5, 1, 0);
        assertThat(dmU).containsExactly(-1, 1, -1, 0);
        // the taps' gradient is sum_i dy_i d_{i+k}; the inputs' is sum_i dy_i g_{j-i}
        assertThat(times(transpose(G), dmV)).containsExactly(1, 2, 3);
        assertThat(times(transpose(BT), dmU)).containsExactly(1, 2, -1, 0);
    }

    private static double[] direct(double[] d, double[] g) {
        double[] y = new double[d.length - g.length + 1];
        for (int i = 0; i < y.length; i++) {
            for (int k = 0; k < g.length; k++) {
                y[i] += d[i + k] * g[k];
            }
        }
        return y;
    }

    private static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }
}
