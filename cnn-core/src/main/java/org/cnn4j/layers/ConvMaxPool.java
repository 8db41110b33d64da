package org.cnn4j.layers;

import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * A {@link Conv2D} and the {@link MaxPooling2D} (2x2, strides 2, valid, even sides) after it, as
 * one inference step: the convolution's engine pools its output while a chunk of it is still in
 * cache, so the full output is never written and the pooling never reads it back (issue 18: max
 * pooling was 13% of inference, reading the convolution's output cold). Same bits as the two
 * layers one after the other. Made only for an inference plan ({@code InferenceFusion}), from
 * inference copies that it keeps; it has no parameters of its own and no backward pass.
 */
final class ConvMaxPool extends Layer {
    private final Conv2D conv;
    private final MaxPooling2D pool;
    /** The pooling's per-sample output shape {@code [F, OH/2, OW/2]}. */
    private final int[] out;
    private Tensor y;

    private ConvMaxPool(Conv2D conv, MaxPooling2D pool) {
        this.conv = conv;
        this.pool = pool;
        this.out = pool.outputShape();
        build(conv.inputShape(), new Rng(0)); // nothing to initialise: the shapes only
        setName(conv.name() + "+" + pool.name());
    }

    /** The fused step of two neighbouring layers, or null when they do not fuse (the {@code InferenceFusion} rule). */
    static Object fuse(Object first, Object second) {
        if (first instanceof Conv2D c && second instanceof MaxPooling2D p && c.isBuilt() && p.isBuilt()
                && c.pools2x2() && p.isEven2x2()) {
            return new ConvMaxPool(c, p);
        }
        return null;
    }

    /** The convolution ({@link ConvChain} continues from it). */
    Conv2D conv() {
        return conv;
    }

    /** The pooling. */
    MaxPooling2D pool() {
        return pool;
    }

    @Override
    public String type() {
        return conv.type() + "+" + pool.type();
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(out);
    }

    // forward (inference only): x [N, C, H, W] -> y [N, F, OH/2, OW/2] = maxpool2x2(act(conv(x) + bias))
    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (training) {
            throw new IllegalStateException(name() + " is an inference step: train the model's own layers");
        }
        checkInput(x);
        y = reuse(y, x.dim(0), out[0], out[1], out[2]);
        conv.forwardPooled(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        throw new UnsupportedOperationException(name() + " is an inference step and has no backward pass");
    }

    @Override
    protected Layer newUnbuilt() {
        throw new UnsupportedOperationException(name() + " is an inference step: copy the model's layers instead");
    }
}
