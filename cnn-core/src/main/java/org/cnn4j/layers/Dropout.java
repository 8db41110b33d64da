package org.cnn4j.layers;

import java.util.List;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.kernels.Kernels;
import org.cnn4j.tensor.Tensor;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1 - rate} and scaled
 * by {@code 1 / (1 - rate)}, so inference is the identity. The mask comes from the layer's own
 * random stream, derived from the model's seed.
 */
public final class Dropout extends Layer {
    private final double rate;
    private final Kernels k = Kernels.get();
    private Rng rng;
    private byte[] mask = new byte[0];
    private boolean masked;
    private Tensor y;

    /** Drops a fraction {@code rate} in [0, 1) of the inputs while training. */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    protected int[] onBuild(int[] in, Rng rng) {
        this.rng = rng.fork(0x0D12_0A0DL);
        return in;
    }

    // forward: y = x * mask / (1 - rate) in training, y = x otherwise
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        masked = training && rate > 0;
        if (!masked) {
            return x;
        }
        int n = x.size();
        if (mask.length < n) {
            mask = new byte[n];
        }
        float keepThreshold = (float) rate;
        for (int i = 0; i < n; i++) {
            mask[i] = (byte) (rng.nextFloat() >= keepThreshold ? 1 : 0);
        }
        y = reuse(y, x.shape());
        k.applyMask(x.data(), 0, mask, 0, (float) (1 / (1 - rate)), y.data(), 0, n);
        return y;
    }

    // backward: dx = dy * mask / (1 - rate)
    @Override
    public Tensor backward(Tensor dy) {
        if (masked) {
            k.applyMask(dy.data(), 0, mask, 0, (float) (1 / (1 - rate)), dy.data(), 0, dy.size());
        }
        return dy;
    }

    @Override
    public List<Rng> randomStreams() {
        return List.of(rng);
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
