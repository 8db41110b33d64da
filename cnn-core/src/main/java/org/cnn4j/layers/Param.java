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
     * A parameter of the given shape, zero-filled, with a zero gradient.
     *
     * @param name the name within its layer
     * @param shape the shape
     */
    public Param(String name, int... shape) {
        this.name = name;
        this.value = Tensor.zeros(shape);
        this.grad = Tensor.zeros(shape);
    }

    /**
     * The name within its layer: {@code "kernel"} or {@code "bias"}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The current value.
     *
     * @return the value tensor; writes go straight into the parameter
     */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient from the last backward pass.
     *
     * @return the gradient tensor
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
