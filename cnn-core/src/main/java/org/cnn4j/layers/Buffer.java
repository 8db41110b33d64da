package org.cnn4j.layers;

import org.cnn4j.tensor.Tensor;

/**
 * Non-trainable state of a layer, such as BatchNormalization's moving mean: saved in the model
 * file and restored with it, counted as non-trainable in {@code summary()}, never given a gradient
 * and never touched by an optimizer. The layer itself updates it (in its training forward pass).
 */
public final class Buffer {
    private final String name;
    private final Tensor value;

    /**
     * A zero-filled buffer.
     *
     * @param name the name within its layer, such as {@code "moving_mean"}
     * @param shape the shape
     * @throws IllegalArgumentException if a dimension is negative or the shape is too large
     */
    public Buffer(String name, int... shape) {
        this.name = name;
        this.value = Tensor.zeros(shape);
    }

    /**
     * The name within its layer.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The current value; writes go straight into the buffer.
     *
     * @return the value tensor
     */
    public Tensor value() {
        return value;
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
