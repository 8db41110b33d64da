package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.config.Booleans;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalization (Ioffe and Szegedy, 2015), with Keras's names, defaults and semantics.
 *
 * <p>{@code x [N, C, ...] -> y [N, C, ...]}, normalised per channel {@code c} (the first
 * per-sample axis: channels of a {@code [C, H, W]} image, NCHW; units of a {@code [U]} vector),
 * over the batch and every other axis, {@code m = N · H · W} values:
 * <pre>
 * training:  mu = mean(x_c), var = mean((x_c - mu)²)       the batch statistics (biased variance)
 *            y = gamma · (x - mu) / sqrt(var + epsilon) + beta
 *            moving_mean     = moving_mean · momentum     + mu  · (1 - momentum)
 *            moving_variance = moving_variance · momentum + var · (1 - momentum)
 * inference: y = gamma · (x - moving_mean) / sqrt(moving_variance + epsilon) + beta
 * </pre>
 * {@code gamma [C]} (ones, trainable, when {@code scale}), {@code beta [C]} (zeros, trainable,
 * when {@code center}); {@code moving_mean [C]} (zeros) and {@code moving_variance [C]} (ones)
 * are non-trainable {@link Buffer}s. Defaults as Keras: momentum 0.99, epsilon 1e-3, center and
 * scale on.
 *
 * <p>The moving variance is updated with the <em>biased</em> batch variance (divided by m, not
 * m - 1), as Keras 3 does ({@code keras/src/layers/normalization/batch_normalization.py},
 * {@code call}: {@code moving_variance * momentum + variance * (1 - momentum)} with
 * {@code variance} from {@code ops.moments}, {@code E[x²] - E[x]²}) and as tf.keras 2.x does
 * ({@code keras/layers/normalization/batch_normalization.py}: the non-fused path uses
 * {@code tf.nn.moments}; the fused path takes TensorFlow's Bessel-corrected {@code batch_var}
 * and removes the correction, "to be consistent with non-fused batch norm").
 *
 * <p>One channel per task, so the bits do not depend on the thread count. Statistics are summed
 * per sample in float, in the kernels' fixed 16 stripes (the same bits from the vector
 * kernels and their scalar twin), and the samples' sums added in double; normalisation and the
 * input gradient are float. The backward pass writes dL/dx over its argument.
 */
public final class BatchNormalization extends Layer {
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;

    private int channels;
    /** Values per channel per sample: H·W for an image, 1 for a vector. */
    private int spatial;
    private Param gamma;
    private Param beta;
    private Buffer movingMean;
    private Buffer movingVariance;
    private Tensor y;
    /**
     * The last forward pass's input: the backward pass recomputes x̂ = (x - mean) · inv from it,
     * bit for bit as the forward pass did, rather than the forward pass storing x̂ (a third of its
     * memory traffic).
     */
    private Tensor x;
    /** The mean per channel, as a float, of the statistics the last forward pass used. */
    private float[] mean = new float[0];
    /** 1 / sqrt(var + epsilon) per channel, of the statistics the last forward pass used. */
    private double[] inv = new double[0];
    private boolean lastTraining;
    private final Call call = new Call();
    private final Kernels kernels = Kernels.get();

    /** Keras defaults: momentum 0.99, epsilon 1e-3, center and scale on. */
    public BatchNormalization() {
    }

    /**
     * Sets the momentum of the moving statistics.
     *
     * @param momentum in [0, 1]; Keras's default is 0.99
     * @return this
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if the layer is built
     */
    public BatchNormalization momentum(double momentum) {
        requireUnbuilt();
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization momentum must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    /**
     * Sets the epsilon added to the variance.
     *
     * @param epsilon a positive number; Keras's default is 1e-3
     * @return this
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if the layer is built
     */
    public BatchNormalization epsilon(double epsilon) {
        requireUnbuilt();
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("BatchNormalization epsilon must be positive, got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    /**
     * Whether to add the trainable offset {@code beta}.
     *
     * @param center Keras's default is true
     * @return this
     * @throws IllegalStateException if the layer is built
     */
    public BatchNormalization center(boolean center) {
        requireUnbuilt();
        this.center = center;
        return this;
    }

    /**
     * Whether to multiply by the trainable scale {@code gamma}.
     *
     * @param scale Keras's default is true
     * @return this
     * @throws IllegalStateException if the layer is built
     */
    public BatchNormalization scale(boolean scale) {
        requireUnbuilt();
        this.scale = scale;
        return this;
    }

    private void requireUnbuilt() {
        if (isBuilt()) {
            throw new IllegalStateException(name() + " is built; configure it before adding it to a model");
        }
    }

    @Override
    public String type() {
        return "BatchNormalization";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        if (in.length == 0) {
            throw badInput(in, "[channels, ...] or [units]");
        }
        int c = in[0];
        LayerSpec s = LayerSpec.output(in);
        if (scale) {
            s = s.param("gamma", c);
        }
        if (center) {
            s = s.param("beta", c);
        }
        return s.buffer("moving_mean", c).buffer("moving_variance", c);
    }

    @Override
    protected void initialize(Rng rng) {
        if (scale) {
            Arrays.fill(param("gamma").value().data(), 1f);
        }
        Arrays.fill(buffer("moving_variance").value().data(), 1f);
    }

    @Override
    protected void onBuild() {
        int[] in = inputShape();
        channels = in[0];
        spatial = Tensor.checkedSize(in) / Math.max(1, channels);
        gamma = scale ? param("gamma") : null;
        beta = center ? param("beta") : null;
        movingMean = buffer("moving_mean");
        movingVariance = buffer("moving_variance");
        inv = new double[channels];
        mean = new float[channels];
    }

    // forward: x [N, C, ...] -> y [N, C, ...]; per channel, batch statistics in training, moving ones otherwise
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x);
        this.x = x;
        lastTraining = training;
        if (x.dim(0) == 0) { // no batch statistics to take: the moving ones must not become 0/0 = NaN
            return y;
        }
        call.set(x.data(), null, x.dim(0), training);
        try {
            Parallel.forEach(channels, call.forward);
        } finally {
            call.clear();
        }
        return y;
    }

    // backward: dy -> dx (over dy); dbeta = Σ dy, dgamma = Σ dy·x̂, and in training
    // dx = gamma·inv·(dy - mean(dy) - x̂·mean(dy·x̂)) (docs/backprop.md derives it); in inference dx = gamma·inv·dy
    @Override
    public Tensor backward(Tensor dy) {
        call.set(null, dy.data(), dy.dim(0), lastTraining);
        try {
            Parallel.forEach(channels, call.backward);
        } finally {
            call.clear();
        }
        return needsInputGradient ? dy : null;
    }

    // the runs of channel c: one per sample, spatial values each, at (s*C + c)*spatial; the kernels
    // reduce a run in float (16 fixed stripes), the runs add up in double
    private void forwardChannel(int c, float[] xs, int n, boolean training) {
        double mu, var;
        long m = (long) n * spatial;
        if (training) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                sum += kernels.sum(xs, (s * channels + c) * spatial, spatial);
            }
            mu = sum / m;
            float meanF = (float) mu;
            double sq = 0;
            for (int s = 0; s < n; s++) {
                sq += kernels.sumSquaredDeviations(xs, (s * channels + c) * spatial, spatial, meanF);
            }
            // Σ(x - mu)² around the float mean exceeds the exact one by m·(mean - mu)², far below float's resolution
            var = sq / m;
            float[] mm = movingMean.value().data(), mv = movingVariance.value().data();
            mm[c] = (float) (mm[c] * momentum + mu * (1 - momentum));
            mv[c] = (float) (mv[c] * momentum + var * (1 - momentum));
        } else {
            mu = movingMean.value().data()[c];
            var = movingVariance.value().data()[c];
        }
        double iv = 1 / Math.sqrt(var + epsilon);
        inv[c] = iv;
        mean[c] = (float) mu;
        float g = gamma == null ? 1f : gamma.value().data()[c];
        float b = beta == null ? 0f : beta.value().data()[c];
        float[] ys = y.data();
        for (int s = 0; s < n; s++) {
            kernels.normalize(xs, (s * channels + c) * spatial, spatial, mean[c], (float) iv, g, b, ys);
        }
    }

    private void backwardChannel(int c, float[] dys, int n, boolean training) {
        float[] xs = x.data();
        float mu = mean[c], iv = (float) inv[c];
        double sumDy = 0, sumDyH = 0;
        for (int s = 0; s < n; s++) {
            int o = (s * channels + c) * spatial;
            sumDy += kernels.sum(dys, o, spatial);
            sumDyH += kernels.dotNormalized(dys, xs, o, spatial, mu, iv);
        }
        if (gamma != null) {
            gamma.grad().data()[c] = (float) sumDyH;
        }
        if (beta != null) {
            beta.grad().data()[c] = (float) sumDy;
        }
        if (!needsInputGradient) {
            return;
        }
        double g = gamma == null ? 1 : gamma.value().data()[c];
        float k = (float) (g * inv[c]);
        long m = (long) n * spatial;
        float meanDy = training ? (float) (sumDy / m) : 0f, meanDyH = training ? (float) (sumDyH / m) : 0f;
        for (int s = 0; s < n; s++) {
            kernels.normalizeBackward(dys, xs, (s * channels + c) * spatial, spatial, mu, iv, k, meanDy, meanDyH);
        }
    }

    /**
     * The running call's arguments, one record reused from call to call, with its tasks made once
     * (as {@code Blas.Call}): the tasks read the call's arrays from here, one channel each.
     */
    private final class Call {
        private float[] xs;
        private float[] dys;
        private int n;
        private boolean training;
        final Parallel.Body forward = (c, worker) -> forwardChannel(c, xs, n, training);
        final Parallel.Body backward = (c, worker) -> backwardChannel(c, dys, n, training);

        void set(float[] xs, float[] dys, int n, boolean training) {
            this.xs = xs;
            this.dys = dys;
            this.n = n;
            this.training = training;
        }

        void clear() {
            xs = null;
            dys = null;
        }
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("momentum", Double.toString(momentum));
        c.put("epsilon", Double.toString(epsilon));
        c.put("center", Boolean.toString(center));
        c.put("scale", Boolean.toString(scale));
        return c;
    }

    static BatchNormalization fromConfig(Map<String, String> c) {
        return new BatchNormalization().momentum(LayerConfig.real(c, "momentum")).epsilon(LayerConfig.real(c, "epsilon"))
                .center(bool(c, "center")).scale(bool(c, "scale"));
    }

    private static boolean bool(Map<String, String> c, String key) {
        return Booleans.parse("layer configuration", key, LayerConfig.string(c, key));
    }
}
