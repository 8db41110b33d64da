package org.cnn4j.tensor;

import java.util.Arrays;

/** Small helpers for shapes written as {@code int[]}. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * {@code [n, s0, s1, ...]}: a per-sample shape with a batch dimension in front.
     *
     * @param n the batch size
     * @param sample the per-sample shape
     * @return a new array
     */
    public static int[] batched(int n, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = n;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    /**
     * The product of the dimensions.
     *
     * @param shape the shape
     * @return the element count
     * @throws IllegalArgumentException for a negative dimension or more than an array holds
     */
    public static int size(int[] shape) {
        return Tensor.checkedSize(shape);
    }

    /**
     * Keras-style text: {@code (None, 28, 28, 32)} is written here as {@code (None, 32, 28, 28)}.
     *
     * @param sample the per-sample shape
     * @return the text
     */
    public static String describe(int[] sample) {
        StringBuilder b = new StringBuilder("(None");
        for (int d : sample) {
            b.append(", ").append(d);
        }
        return b.append(')').toString();
    }

    /**
     * {@code [a, b, c]}.
     *
     * @param shape the shape
     * @return the text
     */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
