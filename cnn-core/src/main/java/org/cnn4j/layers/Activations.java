package org.cnn4j.layers;

/**
 * The element-wise activations other than ReLU and softmax (which have kernels of their own), forward
 * and backward side by side. Each derivative is taken from the output y where the output determines
 * it, so only GELU needs its input kept.
 */
final class Activations {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Activations() {
    }

    /** True for the activations applied by {@link #forward} (not LINEAR, RELU or SOFTMAX). */
    static boolean elementwise(Activation a) {
        return a != Activation.LINEAR && a != Activation.RELU && a != Activation.SOFTMAX;
    }

    /** True when {@link #backward} needs the activation's input as well as its output. */
    static boolean needsInput(Activation a) {
        return a == Activation.GELU;
    }

    // forward, in place over z[off .. off+len): y = f(z); slope is leaky_relu's, alpha elu's
    static void forward(Activation a, double slope, double alpha, float[] z, int off, int len) {
        float s = (float) slope;
        for (int i = off; i < off + len; i++) {
            float x = z[i];
            z[i] = switch (a) {
                case SIGMOID -> (float) (1 / (1 + Math.exp(-(double) x)));
                case TANH -> (float) Math.tanh(x);
                case LEAKY_RELU -> x > 0 ? x : s * x;
                case ELU -> x > 0 ? x : (float) (alpha * Math.expm1(x));
                case GELU -> (float) (x * Erf.phi(x));
                default -> throw new IllegalArgumentException(a + " is not an element-wise activation here");
            };
        }
    }

    // backward, in place over dy[off .. off+len): dx = dy · f'(x), with
    // sigmoid' = y(1 - y), tanh' = 1 - y², leaky' = 1 or slope, elu' = 1 or y + alpha (= alpha e^x),
    // gelu' = Φ(x) + x φ(x); x is read only for GELU (null otherwise)
    static void backward(Activation a, double slope, double alpha, float[] dy, float[] y, float[] x, int off, int len) {
        float s = (float) slope, al = (float) alpha;
        for (int i = off; i < off + len; i++) {
            float yi = y[i];
            float d = switch (a) {
                case SIGMOID -> yi * (1 - yi);
                case TANH -> 1 - yi * yi;
                case LEAKY_RELU -> yi > 0 ? 1f : s;
                case ELU -> yi > 0 ? 1f : yi + al;
                case GELU -> {
                    double xi = x[i];
                    yield (float) (Erf.phi(xi) + xi * INV_SQRT_2PI * Math.exp(-0.5 * xi * xi));
                }
                default -> throw new IllegalArgumentException(a + " is not an element-wise activation here");
            };
            dy[i] *= d;
        }
    }
}
