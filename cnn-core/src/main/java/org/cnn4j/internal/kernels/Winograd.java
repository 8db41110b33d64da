package org.cnn4j.internal.kernels;

/**
 * Winograd's minimal filtering algorithm F(m, r), the matrices that let a stride-1 convolution do
 * fewer multiplications (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).
 *
 * <p>In one dimension, {@code m} outputs of an {@code r}-tap correlation
 * {@code y[i] = sum_k d[i+k] g[k]} over {@code alpha = m + r - 1} inputs are
 * {@code y = AT [(G g) ⊙ (BT d)]}: {@code alpha} multiplications instead of {@code m * r}. In two
 * dimensions the algorithm nests, {@code Y = AT [(G g Gᵀ) ⊙ (BT d B)] A}, and a convolution layer
 * sums the elementwise products over input channels, which makes them {@code alpha²} small matrix
 * products, one per position of the transformed tile.
 *
 * <p>The matrices are built here from interpolation points (Toom-Cook), not copied from a table:
 * the correlation is the transpose of the polynomial product {@code g(x) h(x)}, evaluated at the
 * finite points {@code 0, 1, -1, 2, -2, 1/2, -1/2, ...} and at infinity (the leading coefficient),
 * then interpolated. Small points keep fp32 rounding small: F(2, 3) and F(2, 5) use only
 * {@code 0, ±1, ±2}.
 */
public final class Winograd {
    private static final double[] POINTS = {0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.0 / 3, -1.0 / 3};

    private final int m;
    private final int r;
    private final int alpha;
    private final double[][] at;
    private final double[][] g;
    private final double[][] bt;

    private Winograd(int m, int r) {
        this.m = m;
        this.r = r;
        this.alpha = m + r - 1;
        int n = alpha;
        double[] a = java.util.Arrays.copyOf(POINTS, n - 1);
        at = new double[m][n];
        g = new double[n][r];
        bt = new double[n][n];
        for (int j = 0; j < n - 1; j++) {
            double f = 1;
            for (int l = 0; l < n - 1; l++) {
                if (l != j) {
                    f *= a[j] - a[l];
                }
            }
            for (int i = 0; i < m; i++) {
                at[i][j] = Math.pow(a[j], i);
            }
            for (int k = 0; k < r; k++) {
                g[j][k] = Math.pow(a[j], k) / f;
            }
            // row j of BT: the coefficients of prod_{l != j} (x - a_l), lowest power first
            bt[j] = polynomial(a, j);
        }
        at[m - 1][n - 1] = 1;
        g[n - 1][r - 1] = 1;
        bt[n - 1] = polynomial(a, -1);
    }

    /** Coefficients (lowest power first, {@code a.length + 1} of them) of {@code prod_{l != skip} (x - a_l)}. */
    private static double[] polynomial(double[] a, int skip) {
        double[] c = new double[a.length + 1];
        c[0] = 1;
        int degree = 0;
        for (int l = 0; l < a.length; l++) {
            if (l == skip) {
                continue;
            }
            for (int d = degree + 1; d >= 1; d--) {
                c[d] = c[d - 1] - a[l] * c[d];
            }
            c[0] = -a[l] * c[0];
            degree++;
        }
        for (int d = 0; d < c.length; d++) {
            c[d] += 0.0; // -0.0 (from -0 * c) reads oddly in a printed matrix
        }
        return c;
    }

    /**
     * F(m x m, r x r). Tiles beyond {@code alpha = 8} lose too much fp32 precision to be useful, and
     * are refused.
     */
    public static Winograd of(int m, int r) {
        if (m < 1 || r < 1 || m + r - 1 > 8) {
            throw new IllegalArgumentException("Winograd F(" + m + ", " + r + ") is not supported (m + r - 1 <= 8)");
        }
        return new Winograd(m, r);
    }

    /** Outputs per tile side. */
    public int m() {
        return m;
    }

    /** Filter side. */
    public int r() {
        return r;
    }

    /** Input tile side, {@code m + r - 1}. */
    public int alpha() {
        return alpha;
    }

    /** {@code AT}, {@code m x alpha}, in double precision. */
    public double[][] at() {
        return copy(at);
    }

    /** {@code G}, {@code alpha x r}, in double precision. */
    public double[][] g() {
        return copy(g);
    }

    /** {@code BT}, {@code alpha x alpha}, in double precision. */
    public double[][] bt() {
        return copy(bt);
    }

    /** {@code BT} as a row-major {@code alpha x alpha} float matrix: the input tile transform. */
    public float[] inputTransform() {
        return flatten(bt);
    }

    /** {@code A = ATᵀ} as a row-major {@code alpha x m} float matrix: the output tile transform. */
    public float[] outputTransform() {
        float[] a = new float[alpha * m];
        for (int i = 0; i < alpha; i++) {
            for (int j = 0; j < m; j++) {
                a[i * m + j] = (float) at[j][i];
            }
        }
        return a;
    }

    /**
     * {@code G ⊗ G} as a row-major {@code alpha² x r²} float matrix: row {@code (i, j)} maps a
     * row-major {@code r x r} filter to element {@code (i, j)} of {@code G g Gᵀ}.
     */
    public float[] filterTransform() {
        float[] w = new float[alpha * alpha * r * r];
        for (int i = 0; i < alpha; i++) {
            for (int j = 0; j < alpha; j++) {
                for (int k = 0; k < r; k++) {
                    for (int l = 0; l < r; l++) {
                        w[((i * alpha + j) * r + k) * r + l] = (float) (g[i][k] * g[j][l]);
                    }
                }
            }
        }
        return w;
    }

    private static float[] flatten(double[][] a) {
        int cols = a[0].length;
        float[] f = new float[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < cols; j++) {
                f[i * cols + j] = (float) a[i][j];
            }
        }
        return f;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public String toString() {
        return "F(" + m + "x" + m + ", " + r + "x" + r + ")";
    }
}
