package org.cnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Compares a layer's analytic gradients with central finite differences.
 *
 * <p>The scalar being differentiated is {@code L = Σ r ⊙ layer(x)} with a fixed random {@code r},
 * so {@code dL/dy = r} and the layer's backward pass must return {@code dL/dx} and leave
 * {@code dL/dθ} in its parameters. Each checked element is nudged by {@code ±eps} and
 * {@code (L(+eps) - L(-eps)) / 2eps} is compared with the analytic value. Where the two one-sided
 * differences disagree, the nudge crossed a kink (a ReLU at 0, a max-pool tie) and the element is
 * skipped and counted, since no derivative exists there. Dropout masks are replayed: the layer's
 * random streams are rewound before every forward pass.
 */
public final class GradCheck {
    /** Default absolute tolerance of one comparison, sized for float32 layers and eps = 1e-2. */
    public static final double ATOL = 1e-3;
    /** Default relative tolerance. */
    public static final double RTOL = 1e-2;

    private GradCheck() {
    }

    /**
     * The outcome.
     *
     * @param worstRatio the largest {@code |analytic - numeric| / (atol + rtol*max(|analytic|,|numeric|))}; at most 1 passes
     * @param checked elements compared
     * @param skipped elements skipped because the nudge crossed a kink
     * @param worst a description of the worst element
     */
    public record Result(double worstRatio, int checked, int skipped, String worst) {
        /**
         * Whether the check passed.
         *
         * @return true when every compared element is within tolerance and at least one was compared
         */
        public boolean passed() {
            return worstRatio <= 1.0 && checked > 0;
        }
    }

    /**
     * Checks {@code layer} (already built) at input {@code x}, every input element and up to
     * {@code maxPerParam} elements of each parameter, with nudge {@code eps} and the default
     * tolerances {@link #ATOL} and {@link #RTOL}.
     *
     * @param layer a built layer
     * @param x the input batch
     * @param training the mode of every forward pass
     * @param eps the nudge
     * @param maxPerParam how many elements of each parameter to check at most
     * @param seed the seed of the random output weights {@code r}
     * @return the outcome
     * @throws IllegalStateException if the layer is not built
     */
    public static Result check(Layer layer, Tensor x, boolean training, double eps, int maxPerParam, long seed) {
        return check(layer, x, training, eps, ATOL, RTOL, maxPerParam, seed);
    }

    /**
     * Like {@link #check(Layer, Tensor, boolean, double, int, long)} with explicit tolerances. A
     * smaller {@code eps} crosses fewer kinks but, in float32, needs a larger {@code atol}.
     *
     * @param layer a built layer
     * @param x the input batch
     * @param training the mode of every forward pass
     * @param eps the nudge
     * @param atol the absolute tolerance
     * @param rtol the relative tolerance
     * @param maxPerParam how many elements of each parameter to check at most
     * @param seed the seed of the random output weights {@code r}
     * @return the outcome
     * @throws IllegalStateException if the layer is not built
     */
    public static Result check(Layer layer, Tensor x, boolean training, double eps, double atol, double rtol,
                               int maxPerParam, long seed) {
        if (!layer.isBuilt()) {
            throw new IllegalStateException(layer.type() + " is not built: call build(inputShape, rng) before GradCheck.check");
        }
        List<Rng> streams = layer.randomStreams();
        long[] states = new long[streams.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = streams.get(i).state();
        }
        Rng rng = new Rng(seed);
        Tensor y0 = forward(layer, x, training, streams, states);
        float[] r = new float[y0.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rng.uniform(-1, 1);
        }
        double l0 = dot(r, y0.data());
        Tensor dx = layer.backward(Tensor.wrap(r.clone(), y0.shape()));
        float[] analyticX = dx == null ? null : dx.data().clone();
        List<float[]> analyticP = new ArrayList<>();
        for (Param p : layer.params()) {
            analyticP.add(p.grad().data().clone());
        }

        Acc acc = new Acc(atol, rtol);
        if (analyticX != null) {
            for (int i = 0; i < x.size(); i++) {
                compare(layer, x, training, streams, states, r, l0, x.data(), i, analyticX[i], eps, acc, "input[" + i + "]");
            }
        }
        List<Param> ps = layer.params();
        for (int p = 0; p < ps.size(); p++) {
            float[] w = ps.get(p).value().data();
            int n = w.length;
            int step = Math.max(1, n / Math.max(1, maxPerParam));
            for (int i = 0; i < n; i += step) {
                compare(layer, x, training, streams, states, r, l0, w, i, analyticP.get(p)[i], eps, acc,
                        ps.get(p).name() + "[" + i + "]");
            }
        }
        return new Result(acc.worst, acc.checked, acc.skipped, acc.where);
    }

    private static final class Acc {
        final double atol;
        final double rtol;
        double worst;
        int checked;
        int skipped;
        String where = "";

        Acc(double atol, double rtol) {
            this.atol = atol;
            this.rtol = rtol;
        }

        double tolerance(double a, double b) {
            return atol + rtol * Math.max(Math.abs(a), Math.abs(b));
        }
    }

    private static void compare(Layer layer, Tensor x, boolean training, List<Rng> streams, long[] states, float[] r,
                                double l0, float[] target, int i, double analytic, double eps, Acc acc, String name) {
        float orig = target[i];
        target[i] = (float) (orig + eps);
        double up = dot(r, forward(layer, x, training, streams, states).data());
        target[i] = (float) (orig - eps);
        double down = dot(r, forward(layer, x, training, streams, states).data());
        target[i] = orig;
        // the nudge in float is not exactly eps; divide by what was really added
        double hUp = (float) (orig + eps) - orig, hDown = orig - (float) (orig - eps);
        double right = (up - l0) / hUp, left = (l0 - down) / hDown;
        // a kink crossed on one side only moves the central difference by half the one-sided gap,
        // so a gap under one tolerance cannot push a correct gradient past the tolerance
        if (Math.abs(right - left) > acc.tolerance(right, left)) {
            acc.skipped++;
            return;
        }
        double numeric = (up - down) / (hUp + hDown);
        double ratio = Math.abs(analytic - numeric) / acc.tolerance(analytic, numeric);
        acc.checked++;
        if (ratio > acc.worst) {
            acc.worst = ratio;
            acc.where = name + ": analytic " + analytic + ", numeric " + numeric;
        }
    }

    private static Tensor forward(Layer layer, Tensor x, boolean training, List<Rng> streams, long[] states) {
        for (int i = 0; i < states.length; i++) {
            streams.get(i).setState(states[i]);
        }
        return layer.forward(x, training);
    }

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) r[i] * y[i];
        }
        return s;
    }
}
