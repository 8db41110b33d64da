package org.cnn4j.layers;

import org.cnn4j.tensor.Tensor;

/**
 * A trainable parameter: its value and the gradient of the loss with respect to it. A layer's
 * backward pass overwrites {@link #grad()} with the gradient of the current batch.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /**
     * A parameter of the given shape, zero-filled, with a zero gradient. Layers do not call this:
     * {@link Layer#build} creates the parameters their {@link LayerSpec} declares.
     *
     * @param name the name within its layer, such as {@code "kernel"}
     * @param shape the shape
     * @throws IllegalArgumentException if a dimension is negative or the shape is too large
     */
    public Param(String name, int... shape) {
        this.name = name;
        this.value = Tensor.zeros(shape);
        this.grad = Tensor.zeros(shape);
    }

    /**
     * The name within its layer.
     *
     * @return e.g. {@code "kernel"}, {@code "bias"}, {@code "gamma"}
     */
    public String name() {
        return name;
    }

    /**
     * The current value; writes go straight into the parameter.
     *
     * @return the value tensor
     */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient from the last backward pass.
     *
     * @return the gradient tensor, of the value's shape
     */
    public Tensor grad() {
        return grad;
    }

    /**
     * The number of scalars.
     *
     * @return the size of the value
     */
    public int size() {
        return value.size();
    }
}
