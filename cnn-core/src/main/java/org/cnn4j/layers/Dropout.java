package org.cnn4j.layers;

import java.util.List;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1 - rate} and scaled
 * by {@code 1 / (1 - rate)}, so inference is the identity. The mask comes from the layer's own
 * random stream, derived from the model's seed.
 *
 * <p>Each training forward pass draws one 64-bit seed from that stream; element {@code i} of the
 * batch is kept when the uniform {@code u} from a counter-based hash of (seed, i) satisfies
 * {@code u >= rate} (see {@link Kernels#dropoutMask}). So the mask can be computed in parallel
 * ranges and is the same for any thread count, and the stream's state, which checkpoints save,
 * advances by one draw per batch.
 */
public final class Dropout extends Layer {
    /** Elements per parallel task; a multiple of every vector width, so only the last range has a tail. */
    private static final int RANGE = 32 * 1024;

    private final double rate;
    private final int threshold;
    private final float scale;
    private final Kernels kernels = Kernels.get();
    private Rng rng;
    private byte[] mask = new byte[0];
    private boolean masked;
    private Tensor y;

    private final Call call = new Call();

    /**
     * One pass's arguments, one record reused from call to call with its tasks made once (as
     * {@code Blas.Call}): a lambda capturing the arguments would be allocated on every call.
     */
    private final class Call {
        long seed;
        float[] src;
        float[] dst;
        int size;
        final Parallel.Body forward = (task, worker) -> maskRange(this, task);
        final Parallel.Body backward = (task, worker) -> applyRange(this, task);

        void run(Parallel.Body task, long seed, float[] from, float[] to, int n) {
            this.seed = seed;
            src = from;
            dst = to;
            size = n;
            try {
                Parallel.forEach((n + RANGE - 1) / RANGE, task);
            } finally {
                src = null;
                dst = null;
            }
        }
    }

    /**
     * Drops a fraction {@code rate} in [0, 1) of the inputs while training.
     *
     * @param rate the fraction dropped
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.threshold = keepThreshold(rate);
        this.scale = (float) (1 / (1 - rate));
    }

    /**
     * The least 24-bit value kept: {@code u = bits * 2^-24 >= (float) rate} exactly when
     * {@code bits >= ceil((float) rate * 2^24)} (the product is exact: a power-of-two scaling).
     */
    static int keepThreshold(double rate) {
        return (int) Math.ceil((double) (float) rate * 0x1p24);
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(in);
    }

    @Override
    protected void initialize(Rng rng) {
        this.rng = rng.fork(0x0D12_0A0DL);
    }

    // forward: y = x * mask / (1 - rate) in training, y = x otherwise
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        masked = training && rate > 0;
        if (!masked) {
            return x;
        }
        if (rng == null) {
            throw new IllegalStateException(name() + " is an inference copy; it cannot train (it has no random stream)");
        }
        int n = x.size();
        if (mask.length < n) {
            mask = new byte[n];
        }
        y = y != null && y.sameShape(x) ? y : Tensor.zeros(x.shape());
        call.run(call.forward, rng.nextLong(), x.data(), y.data(), n);
        return y;
    }

    // backward: dx = dy * mask / (1 - rate)
    @Override
    public Tensor backward(Tensor dy) {
        if (masked) {
            call.run(call.backward, 0, dy.data(), dy.data(), dy.size());
        }
        return dy;
    }

    private void maskRange(Call a, int task) {
        int from = task * RANGE, len = Math.min(RANGE, a.size - from);
        kernels.dropoutMask(a.seed, from, len, threshold, mask, from);
        kernels.applyMask(a.src, from, mask, from, scale, a.dst, from, len);
    }

    private void applyRange(Call a, int task) {
        int from = task * RANGE, len = Math.min(RANGE, a.size - from);
        kernels.applyMask(a.src, from, mask, from, scale, a.dst, from, len);
    }

    @Override
    public List<Rng> randomStreams() {
        return rng == null ? List.of() : List.of(rng);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("rate", Double.toString(rate));
        return c;
    }

    static Dropout fromConfig(Map<String, String> c) {
        return new Dropout(LayerConfig.real(c, "rate"));
    }
}
