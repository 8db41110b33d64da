package org.cnn4j.layers;

import java.util.function.Supplier;
import org.cnn4j.tensor.Tensor;

/**
 * A trainable parameter: its value and the gradient of the loss with respect to it. A layer's
 * backward pass overwrites {@link #grad()} with the gradient of the current batch.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /** Scalars that new parameters may still take on this thread, or null for no limit. */
    private static final ThreadLocal<long[]> LIMIT = new ThreadLocal<>();

    /** A parameter of the given shape, zero-filled, with a zero gradient. */
    public Param(String name, int... shape) {
        long[] limit = LIMIT.get();
        if (limit != null) {
            int size = Tensor.checkedSize(shape);
            if (size > limit[0]) {
                throw new IllegalArgumentException("the layer configuration needs a " + name + " of "
                        + java.util.Arrays.toString(shape) + ", more weights than the file holds");
            }
            limit[0] -= size;
        }
        this.name = name;
        this.value = Tensor.zeros(shape);
        this.grad = Tensor.zeros(shape);
    }

    /** The name within its layer: {@code "kernel"} or {@code "bias"}. */
    public String name() {
        return name;
    }

    /** The current value. */
    public Tensor value() {
        return value;
    }

    /** The gradient from the last backward pass. */
    public Tensor grad() {
        return grad;
    }

    /** The number of scalars. */
    public int size() {
        return value.size();
    }

    /**
     * Runs {@code body} (typically a model's build) allowing the parameters it creates on this
     * thread at most {@code maxScalars} values in all; past that their constructor throws an
     * {@link IllegalArgumentException} before allocating. A model loader uses this so that a file's
     * layer configuration cannot make it allocate more than the weights the file holds.
     */
    public static <T> T withAllocationLimit(long maxScalars, Supplier<T> body) {
        long[] previous = LIMIT.get();
        LIMIT.set(new long[] {maxScalars});
        try {
            return body.get();
        } finally {
            if (previous == null) {
                LIMIT.remove();
            } else {
                LIMIT.set(previous);
            }
        }
    }
}
