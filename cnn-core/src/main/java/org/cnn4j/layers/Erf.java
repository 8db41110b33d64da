package org.cnn4j.layers;

/**
 * The error function and the normal distribution's CDF in double precision, for GELU (the JDK has
 * no erf). Two classical expansions, each used where it converges fast and without cancellation:
 *
 * <ul>
 *   <li>for {@code |z| < 3} the series {@code erf(z) = 2/√π e^{-z²} Σ_n 2^n z^{2n+1} / (1·3···(2n+1))},
 *       whose terms are all of one sign (no cancellation), summed until they stop changing the sum;</li>
 *   <li>for {@code z >= 3} the continued fraction
 *       {@code erfc(z) = e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))}, 60 levels evaluated
 *       from the bottom up, which keeps the relative precision of the tiny tail that
 *       {@code 1 - erf(z)} would lose.</li>
 * </ul>
 * Both agree with tabulated values to about 1e-15 (ErfTest), far below float's 6e-8, so a GELU in
 * float is correctly rounded or one ulp off.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private Erf() {
    }

    /** erf(z). */
    static double erf(double z) {
        if (Math.abs(z) >= 3) {
            return Math.signum(z) * (1 - erfcTail(Math.abs(z)));
        }
        return series(z);
    }

    /** erfc(z) = 1 - erf(z), with full relative precision in the right tail. */
    static double erfc(double z) {
        return z >= 3 ? erfcTail(z) : 1 - series(z);
    }

    /** Φ(x), the standard normal CDF: erfc(-x/√2) / 2, precise for very negative x too. */
    static double phi(double x) {
        return 0.5 * erfc(-x * SQRT_HALF);
    }

    private static double series(double z) {
        double z2 = z * z, term = z, sum = z;
        for (int n = 1; n < 200; n++) {
            term *= 2 * z2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
    }

    private static double erfcTail(double z) {
        if (z > 27) {
            return 0; // below the smallest double
        }
        double t = z;
        for (int n = 60; n >= 1; n--) {
            t = z + (n / 2.0) / t;
        }
        return Math.exp(-z * z) / (Math.sqrt(Math.PI) * t);
    }
}
