package org.cnn4j.layers;

/**
 * A penalty on a parameter that training adds to the loss, as Keras's {@code keras.regularizers}:
 * the model adds {@link #penalty} of each regularized parameter to the batch loss (training and
 * evaluation losses both include it, as in Keras) and {@link #addGradient} to its gradient before
 * the optimizer steps.
 */
public interface Regularizer {
    /**
     * The penalty of a parameter's values.
     *
     * @param w the values
     * @return the penalty, added to the loss
     */
    double penalty(float[] w);

    /**
     * Adds the penalty's gradient to a parameter's gradient.
     *
     * @param w the values
     * @param grad the gradient of the loss, to which d(penalty)/dw is added
     */
    void addGradient(float[] w, float[] grad);

    /**
     * The one-string form stored in a layer's configuration, which {@link #parse} reads back.
     *
     * @return for example {@code "L2(l2=1.0E-4)"}
     */
    String spec();

    /**
     * Keras's {@code L2} regularizer: {@code penalty = l2 · Σ w²}, gradient {@code 2 · l2 · w}.
     *
     * @param l2 the factor (Keras's default is 0.01)
     * @return the regularizer
     * @throws IllegalArgumentException when l2 is negative or not finite
     */
    static Regularizer l2(double l2) {
        return new L2(l2);
    }

    /**
     * Parses {@link #spec()}.
     *
     * @param spec a regularizer's spec
     * @return the regularizer
     * @throws IllegalArgumentException for anything else
     */
    static Regularizer parse(String spec) {
        if (spec.startsWith("L2(l2=") && spec.endsWith(")")) {
            try {
                return new L2(Double.parseDouble(spec.substring(6, spec.length() - 1)));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("unknown regularizer '" + spec + "' (expected L2(l2=<number>))");
    }

    /**
     * Keras's {@code L2}: {@code l2 · Σ w²}.
     *
     * @param l2 the factor
     */
    record L2(double l2) implements Regularizer {
        /**
         * Checks the factor.
         *
         * @param l2 the factor, finite and at least 0
         * @throws IllegalArgumentException otherwise
         */
        public L2 {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("L2 needs a finite factor >= 0, got " + l2);
            }
        }

        @Override
        public double penalty(float[] w) {
            double s = 0;
            for (float v : w) {
                s += (double) v * v;
            }
            return l2 * s;
        }

        // d(l2 Σ w²)/dw = 2 l2 w
        @Override
        public void addGradient(float[] w, float[] grad) {
            float f = (float) (2 * l2);
            for (int i = 0; i < w.length; i++) {
                grad[i] += f * w[i];
            }
        }

        @Override
        public String spec() {
            return "L2(l2=" + l2 + ")";
        }
    }
}
