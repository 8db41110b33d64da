package org.cnn4j.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * One step of a network: a forward pass and the backward pass that undoes it, side by side.
 *
 * <p>Shapes are per sample (no batch dimension) in {@link #build}; tensors passed to
 * {@link #forward} and {@link #backward} carry the batch dimension first. A layer keeps what its
 * backward pass needs from the last forward pass, and reuses its output buffers from call to call:
 * a returned tensor is valid until the layer's next call. {@link #backward} may overwrite its
 * argument. A layer instance is therefore not thread-safe; the model serialises calls.
 */
public abstract class Layer {
    private int[] inputShape;
    private int[] outputShape;
    private String name;
    /** False for the first layer of a model, whose input gradient nobody needs. */
    protected boolean needsInputGradient = true;

    /** The layer's type as Keras names it, e.g. {@code "Conv2D"}. */
    public abstract String type();

    /**
     * Fixes the per-sample input shape, creates and initialises the parameters from {@code rng},
     * and returns the per-sample output shape.
     */
    public final int[] build(int[] inputShape, Rng rng) {
        this.inputShape = inputShape.clone();
        this.outputShape = onBuild(inputShape.clone(), rng);
        return outputShape.clone();
    }

    /**
     * The per-sample output shape for an input shape, computed without allocating anything (the
     * model file checks a stored architecture with it before building). Throws
     * IllegalArgumentException for an input the layer cannot take.
     */
    public int[] outputShapeFor(int[] inputShape) {
        return inputShape.clone();
    }

    /** The number of trainable scalars the layer would have for an input shape, without allocating. */
    public long paramCountFor(int[] inputShape) {
        return 0;
    }

    /** Checks the input shape, allocates and initialises parameters, returns the output shape. */
    protected abstract int[] onBuild(int[] inputShape, Rng rng);

    /** Forward pass over a batch; {@code training} turns on dropout. */
    public abstract Tensor forward(Tensor x, boolean training);

    /**
     * Backward pass: given dL/dy for the last forward batch, writes every parameter's gradient
     * and returns dL/dx (or {@code null} when {@link #setNeedsInputGradient} turned it off).
     */
    public abstract Tensor backward(Tensor dy);

    /** The trainable parameters, in a fixed order. */
    public List<Param> params() {
        return List.of();
    }

    /** The layer's random streams (dropout masks), so a checkpoint can save and restore them. */
    public List<Rng> randomStreams() {
        return List.of();
    }

    /** The number of trainable scalars. */
    public long paramCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.size();
        }
        return n;
    }

    /** The configuration that rebuilds this layer (used by the model file format). */
    public Map<String, String> config() {
        return new LinkedHashMap<>();
    }

    /** The per-sample input shape, after {@link #build}. */
    public int[] inputShape() {
        return requireBuilt(inputShape).clone();
    }

    /** The per-sample output shape, after {@link #build}. */
    public int[] outputShape() {
        return requireBuilt(outputShape).clone();
    }

    /** True after {@link #build}. */
    public boolean isBuilt() {
        return outputShape != null;
    }

    /** The name shown in summaries, such as {@code conv2d_1}. */
    public String name() {
        return name == null ? type().toLowerCase(java.util.Locale.ROOT) : name;
    }

    /** Sets the display name. */
    public void setName(String name) {
        this.name = name;
    }

    /** Skips computing dL/dx in {@link #backward} when nothing upstream needs it. */
    public void setNeedsInputGradient(boolean needed) {
        this.needsInputGradient = needed;
    }

    private int[] requireBuilt(int[] shape) {
        if (shape == null) {
            throw new IllegalStateException(type() + " is not built yet");
        }
        return shape;
    }

    /** Checks that a batch tensor has this layer's per-sample shape after the batch dimension. */
    protected final void checkInput(Tensor x) {
        // dim() rather than shape(): the check runs on every call and must not copy
        boolean ok = x.rank() == inputShape.length + 1;
        for (int i = 0; ok && i < inputShape.length; i++) {
            ok = x.dim(i + 1) == inputShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + " expects input " + org.cnn4j.tensor.Shapes.describe(inputShape)
                    + " but got " + java.util.Arrays.toString(x.shape()));
        }
    }

    /** Returns {@code buf} when it has shape {@code shape}, else a new zero tensor of that shape. */
    protected static Tensor reuse(Tensor buf, int... shape) {
        return buf != null && buf.sameShape(shape) ? buf : Tensor.zeros(shape);
    }

    /**
     * {@link #reuse(Tensor, int...)} for the shape of {@code like}, of any rank, without copying
     * that shape unless a new tensor is made.
     */
    protected static Tensor reuse(Tensor buf, Tensor like) {
        return buf != null && buf.sameShape(like) ? buf : Tensor.zeros(like.shape());
    }

    /** {@link #reuse(Tensor, int...)} for a 2-D shape, without a varargs array per call. */
    protected static Tensor reuse(Tensor buf, int d0, int d1) {
        return buf != null && buf.rank() == 2 && buf.dim(0) == d0 && buf.dim(1) == d1 ? buf : Tensor.zeros(d0, d1);
    }

    /** {@link #reuse(Tensor, int...)} for a 4-D shape, without a varargs array per call. */
    protected static Tensor reuse(Tensor buf, int d0, int d1, int d2, int d3) {
        return buf != null && buf.rank() == 4 && buf.dim(0) == d0 && buf.dim(1) == d1 && buf.dim(2) == d2
                && buf.dim(3) == d3 ? buf : Tensor.zeros(d0, d1, d2, d3);
    }
}
