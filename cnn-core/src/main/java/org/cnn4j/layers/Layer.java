package org.cnn4j.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.fusion.InferenceFusion;
import org.cnn4j.tensor.Tensor;

/**
 * One step of a network: a forward pass and the backward pass that undoes it, side by side.
 *
 * <p>Shapes are per sample (no batch dimension) in {@link #build}; tensors passed to
 * {@link #forward} and {@link #backward} carry the batch dimension first. A layer keeps what its
 * backward pass needs from the last forward pass, and reuses its output buffers from call to call:
 * a returned tensor is valid until the layer's next call. {@link #backward} may overwrite its
 * argument. A layer instance is therefore not thread-safe; the model serialises calls, and
 * {@link #inferenceCopy()} gives each thread a layer of its own over the same weights.
 *
 * <p>A layer declares what it is for an input shape once, in {@link #spec}: output shape,
 * trainable {@link Param}s and non-trainable {@link Buffer}s. {@link #build} creates them, then
 * calls {@link #initialize} (initial values) and {@link #onBuild} (derived state).
 */
public abstract class Layer {
    private int[] inputShape;
    private int[] outputShape;
    private String name;
    private List<Param> params = List.of();
    private List<Buffer> buffers = List.of();
    /** False for the first layer of a model, whose input gradient nobody needs. */
    protected boolean needsInputGradient = true;

    static { // which layers fuse for inference is known here; the model's predictors apply it
        InferenceFusion.install((first, second) -> {
            Object pooled = ConvMaxPool.fuse(first, second);
            return pooled != null ? pooled : ConvChain.fuse(first, second);
        });
    }

    /** For subclasses: a layer is configured by its own constructor and built by {@link #build}. */
    protected Layer() {
    }

    /**
     * The layer's type as Keras names it.
     *
     * @return the type, e.g. {@code "Conv2D"}
     */
    public abstract String type();

    /**
     * What this layer is for a per-sample input shape: its output shape, parameters and buffers.
     * Pure: it reads only the layer's configuration, allocates nothing but the result, and may be
     * called before or after {@link #build}.
     *
     * @param inputShape the per-sample input shape (the layer must not keep or change it)
     * @return the spec
     * @throws IllegalArgumentException naming the layer and the shape, for an input it cannot take
     */
    protected abstract LayerSpec spec(int[] inputShape);

    /**
     * Fills the initial values of the parameters and buffers, which {@link #build} has created
     * zero-filled. Called once, from {@link #build}; not for an {@link #inferenceCopy()}.
     *
     * @param rng this layer's random stream (initial weights; a layer may fork streams of its own)
     */
    protected void initialize(Rng rng) {
    }

    /**
     * Sets up derived state (geometry, engines, cached {@link #param} lookups) once the shapes,
     * parameters and buffers exist. Called after {@link #initialize} by {@link #build}, and by
     * {@link #inferenceCopy()} on the copy, whose parameters are shared.
     */
    protected void onBuild() {
    }

    /**
     * Fixes the per-sample input shape, creates every parameter and buffer the {@link #spec}
     * declares, initialises them from {@code rng}, and sets up the layer.
     *
     * @param inputShape the per-sample input shape
     * @param rng the layer's random stream
     * @return the per-sample output shape
     * @throws IllegalArgumentException if the layer cannot take the input shape
     * @throws IllegalStateException if the layer is already built
     */
    public final int[] build(int[] inputShape, Rng rng) {
        LayerSpec s = prepare(inputShape);
        List<Param> ps = new ArrayList<>();
        for (LayerSpec.Entry e : s.params()) {
            ps.add(new Param(e.name(), e.shape()));
        }
        List<Buffer> bs = new ArrayList<>();
        for (LayerSpec.Entry e : s.buffers()) {
            bs.add(new Buffer(e.name(), e.shape()));
        }
        finish(inputShape, s, ps, bs);
        initialize(rng);
        onBuild();
        return outputShape.clone();
    }

    private LayerSpec prepare(int[] inputShape) {
        if (isBuilt()) {
            throw new IllegalStateException(name() + " is already built");
        }
        return checkedSpec(inputShape);
    }

    /** The spec for an input shape, refusing a shape with a dimension below 1 before the layer sees it. */
    private LayerSpec checkedSpec(int[] inputShape) {
        for (int d : inputShape) {
            if (d < 1) { // a sample of no values: a layer would make [N, 0] outputs or means over nothing
                throw badInput(inputShape, "dimensions >= 1");
            }
        }
        return spec(inputShape.clone());
    }

    private void finish(int[] inputShape, LayerSpec s, List<Param> ps, List<Buffer> bs) {
        this.params = List.copyOf(ps);
        this.buffers = List.copyOf(bs);
        this.inputShape = inputShape.clone();
        this.outputShape = s.outputShape();
    }

    /**
     * A new layer of the same type and configuration, built on the same input shape, that shares
     * this layer's {@link Param} and {@link Buffer} objects (weights are not copied; later changes
     * to them are seen by both) and has activation buffers of its own. Its inference forward
     * passes give the same bits as this layer's. Copies may run forward passes in inference mode
     * concurrently with each other (one thread per copy) while nobody trains; training a copy is
     * not supported (its backward pass would write the shared gradients).
     *
     * @return the copy
     * @throws IllegalStateException if this layer is not built
     */
    public Layer inferenceCopy() {
        requireBuilt(outputShape);
        Layer c = newUnbuilt();
        if (c.getClass() != getClass()) {
            throw new IllegalStateException(type() + ": newUnbuilt() made a " + c.getClass().getName());
        }
        LayerSpec s = c.prepare(inputShape);
        checkSame(s.params(), params);
        checkSame(s.buffers(), buffers);
        c.finish(inputShape, s, params, buffers);
        c.name = name;
        c.needsInputGradient = needsInputGradient;
        c.onBuild();
        return c;
    }

    private void checkSame(List<LayerSpec.Entry> declared, List<?> have) {
        boolean ok = declared.size() == have.size();
        for (int i = 0; ok && i < declared.size(); i++) {
            Object o = have.get(i);
            org.cnn4j.tensor.Tensor t = o instanceof Param p ? p.value() : ((Buffer) o).value();
            String n = o instanceof Param p ? p.name() : ((Buffer) o).name();
            ok = declared.get(i).name().equals(n) && declared.get(i).matches(t);
        }
        if (!ok) {
            throw new IllegalStateException(name() + ": a copy from its configuration declares " + declared
                    + ", this layer has other tensors");
        }
    }

    /**
     * A new, unbuilt layer of this type and configuration, for {@link #inferenceCopy()}. The
     * default goes through {@link Layers#fromConfig}; a layer with settings outside its
     * {@link #config()} (or a type {@code Layers} does not know) overrides it.
     *
     * @return the new layer
     */
    protected Layer newUnbuilt() {
        return Layers.fromConfig(type(), config());
    }

    /**
     * The per-sample output shape for an input shape, computed without building anything (the
     * model file checks a stored architecture with it before building).
     *
     * @param inputShape the per-sample input shape
     * @return the per-sample output shape
     * @throws IllegalArgumentException if the layer cannot take the input shape
     */
    public final int[] outputShapeFor(int[] inputShape) {
        return checkedSpec(inputShape).outputShape();
    }

    /**
     * The number of trainable scalars the layer would have for an input shape, without building.
     *
     * @param inputShape the per-sample input shape
     * @return the count
     * @throws IllegalArgumentException if the layer cannot take the input shape
     */
    public final long paramCountFor(int[] inputShape) {
        return checkedSpec(inputShape).paramCount();
    }

    /**
     * The number of non-trainable scalars (buffers) the layer would have for an input shape.
     *
     * @param inputShape the per-sample input shape
     * @return the count
     * @throws IllegalArgumentException if the layer cannot take the input shape
     */
    public final long nonTrainableCountFor(int[] inputShape) {
        return checkedSpec(inputShape).bufferCount();
    }

    /**
     * Forward pass over a batch. A batch of no samples ({@code N = 0}) gives an empty output and
     * changes no state (a batch normalization keeps its moving statistics).
     *
     * @param x the input, batch dimension first
     * @param training true in training (dropout drops, batch normalization uses and updates batch statistics)
     * @return the output, valid until the layer's next call
     */
    public abstract Tensor forward(Tensor x, boolean training);

    /**
     * Backward pass: given dL/dy for the last forward batch, writes every parameter's gradient
     * and returns dL/dx (or {@code null} when {@link #setNeedsInputGradient} turned it off). After a
     * batch of no samples the parameters' gradients are 0 (a sum over no sample) and dL/dx is empty.
     *
     * @param dy the gradient of the loss with respect to the last output (may be overwritten)
     * @return the gradient with respect to the last input, or null
     */
    public abstract Tensor backward(Tensor dy);

    /**
     * The trainable parameters, in the order the {@link #spec} declares them.
     *
     * @return an unmodifiable list, empty before {@link #build}
     */
    public final List<Param> params() {
        return params;
    }

    /**
     * The non-trainable buffers, in the order the {@link #spec} declares them.
     *
     * @return an unmodifiable list, empty before {@link #build}
     */
    public final List<Buffer> buffers() {
        return buffers;
    }

    /**
     * A parameter by name, for the layer's own code.
     *
     * @param name the declared name
     * @return the parameter
     * @throws IllegalStateException if the layer is not built or declares no such parameter
     */
    protected final Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalStateException(type() + " has no parameter '" + name + "'" + (isBuilt() ? "" : " (not built)"));
    }

    /**
     * A buffer by name, for the layer's own code.
     *
     * @param name the declared name
     * @return the buffer
     * @throws IllegalStateException if the layer is not built or declares no such buffer
     */
    protected final Buffer buffer(String name) {
        for (Buffer b : buffers) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalStateException(type() + " has no buffer '" + name + "'" + (isBuilt() ? "" : " (not built)"));
    }

    /**
     * The layer's random streams (dropout masks), so a checkpoint can save and restore them.
     *
     * @return the streams, in a fixed order
     */
    public List<Rng> randomStreams() {
        return List.of();
    }

    /**
     * The number of trainable scalars.
     *
     * @return the count, 0 before {@link #build}
     */
    public final long paramCount() {
        long n = 0;
        for (Param p : params) {
            n += p.size();
        }
        return n;
    }

    /**
     * The number of non-trainable scalars (buffers).
     *
     * @return the count, 0 before {@link #build}
     */
    public final long nonTrainableCount() {
        long n = 0;
        for (Buffer b : buffers) {
            n += b.size();
        }
        return n;
    }

    /**
     * The configuration that rebuilds this layer through {@link Layers#fromConfig} (the model file
     * stores it). Subclasses add their keys to {@code super.config()}.
     *
     * @return a new, modifiable map of Keras-named keys to string values
     */
    public Map<String, String> config() {
        return new LinkedHashMap<>();
    }

    /**
     * The per-sample input shape.
     *
     * @return a copy of the shape
     * @throws IllegalStateException before {@link #build}
     */
    public int[] inputShape() {
        return requireBuilt(inputShape).clone();
    }

    /**
     * The per-sample output shape.
     *
     * @return a copy of the shape
     * @throws IllegalStateException before {@link #build}
     */
    public int[] outputShape() {
        return requireBuilt(outputShape).clone();
    }

    /**
     * Whether {@link #build} has run.
     *
     * @return true after {@link #build} (or for an {@link #inferenceCopy()})
     */
    public boolean isBuilt() {
        return outputShape != null;
    }

    /**
     * The name shown in summaries and errors.
     *
     * @return the name {@code Sequential} gave it, such as {@code conv2d_1}, else the type in lower case
     */
    public String name() {
        return name == null ? type().toLowerCase(java.util.Locale.ROOT) : name;
    }

    /**
     * Sets the display name.
     *
     * @param name the name
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * Skips computing dL/dx in {@link #backward} when nothing upstream needs it (the first layer).
     *
     * @param needed whether {@link #backward} must return dL/dx
     */
    public void setNeedsInputGradient(boolean needed) {
        this.needsInputGradient = needed;
    }

    private int[] requireBuilt(int[] shape) {
        if (shape == null) {
            throw new IllegalStateException(type() + " is not built yet");
        }
        return shape;
    }

    /**
     * Checks that a batch tensor has this layer's per-sample shape after the batch dimension.
     *
     * @param x the batch given to {@link #forward}
     * @throws IllegalArgumentException naming the layer, the expected and the actual shape
     */
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

    /**
     * The error for an input shape a layer's {@link #spec} cannot take.
     *
     * @param inputShape the rejected per-sample shape
     * @param expected what the layer takes, such as {@code "[channels, height, width]"}
     * @return the exception to throw, naming the layer and the shape
     */
    protected final IllegalArgumentException badInput(int[] inputShape, String expected) {
        return new IllegalArgumentException(type() + " expects input " + expected + ", got "
                + java.util.Arrays.toString(inputShape));
    }

    /**
     * An activation buffer for this call: {@code buf} when it has the shape, else a new one.
     *
     * @param buf the buffer of the last call, or null
     * @param shape the shape needed
     * @return {@code buf}, or a new zero tensor of that shape
     */
    protected static Tensor reuse(Tensor buf, int... shape) {
        return buf != null && buf.sameShape(shape) ? buf : Tensor.zeros(shape);
    }

    /**
     * {@link #reuse(Tensor, int...)} for the shape of {@code like}, of any rank, without copying
     * that shape unless a new tensor is made.
     *
     * @param buf the buffer of the last call, or null
     * @param like a tensor of the shape needed
     * @return {@code buf}, or a new zero tensor of that shape
     */
    protected static Tensor reuse(Tensor buf, Tensor like) {
        return buf != null && buf.sameShape(like) ? buf : Tensor.zeros(like.shape());
    }

    /**
     * {@link #reuse(Tensor, int...)} for a 2-D shape, without a varargs array per call.
     *
     * @param buf the buffer of the last call, or null
     * @param d0 the first dimension
     * @param d1 the second dimension
     * @return {@code buf}, or a new zero tensor of that shape
     */
    protected static Tensor reuse(Tensor buf, int d0, int d1) {
        return buf != null && buf.rank() == 2 && buf.dim(0) == d0 && buf.dim(1) == d1 ? buf : Tensor.zeros(d0, d1);
    }

    /**
     * {@link #reuse(Tensor, int...)} for a 4-D shape, without a varargs array per call.
     *
     * @param buf the buffer of the last call, or null
     * @param d0 the first dimension
     * @param d1 the second dimension
     * @param d2 the third dimension
     * @param d3 the fourth dimension
     * @return {@code buf}, or a new zero tensor of that shape
     */
    protected static Tensor reuse(Tensor buf, int d0, int d1, int d2, int d3) {
        return buf != null && buf.rank() == 4 && buf.dim(0) == d0 && buf.dim(1) == d1 && buf.dim(2) == d2
                && buf.dim(3) == d3 ? buf : Tensor.zeros(d0, d1, d2, d3);
    }
}
