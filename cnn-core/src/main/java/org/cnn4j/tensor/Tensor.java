package org.cnn4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor: a shape and a contiguous row-major {@code float[]}.
 *
 * <p>Images are NCHW: {@code [batch, channels, height, width]}. The array is exposed on purpose so
 * that kernels read and write it in place; no operation here copies unless its name says so.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * A zero-filled tensor of the given shape.
     *
     * @param shape the shape (copied)
     * @return the tensor
     * @throws IllegalArgumentException for a negative dimension or more than an array holds
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(s, new float[checkedSize(s)]);
    }

    /**
     * Wraps {@code data} (not copied); its length must equal the product of {@code shape}.
     *
     * @param data the values, row-major (kept, not copied)
     * @param shape the shape (copied)
     * @return the tensor
     * @throws IllegalArgumentException if the sizes differ
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = checkedSize(s);
        if (data.length != n) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " elements but shape " + Arrays.toString(s) + " needs " + n);
        }
        return new Tensor(s, data);
    }

    /**
     * The number of elements a shape holds, failing on negative dimensions or int overflow.
     *
     * @param shape the shape
     * @return the element count
     * @throws IllegalArgumentException for a negative dimension or more than an array holds
     */
    public static int checkedSize(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one array");
            }
        }
        return (int) n;
    }

    /**
     * The shape (a copy).
     *
     * @return a new array
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size of dimension {@code i}.
     *
     * @param i the dimension, from 0
     * @return its size
     */
    public int dim(int i) {
        return shape[i];
    }

    /**
     * The number of dimensions.
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The number of elements.
     *
     * @return the element count, {@code data().length}
     */
    public int size() {
        return data.length;
    }

    /**
     * The backing array, row-major. Writes go straight into the tensor.
     *
     * @return the array itself, not a copy
     */
    public float[] data() {
        return data;
    }

    /**
     * The same data seen with another shape of the same size (no copy).
     *
     * @param newShape the new shape, of the same element count
     * @return a tensor over the same array
     * @throws IllegalArgumentException if the element counts differ
     */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    /**
     * A deep copy.
     *
     * @return a tensor with its own array
     */
    public Tensor copy() {
        return new Tensor(shape.clone(), data.clone());
    }

    /**
     * Elements per item of the leading (batch) dimension.
     *
     * @return the elements per sample (0 for an empty batch)
     */
    public int itemSize() {
        return shape.length == 0 ? 1 : (shape[0] == 0 ? 0 : data.length / shape[0]);
    }

    /**
     * True when {@code other} has exactly this tensor's shape (compared without copying either).
     *
     * @param other the other tensor
     * @return true for equal shapes
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * True when {@code other} has exactly this shape.
     *
     * @param other a shape
     * @return true for equal shapes
     */
    public boolean sameShape(int... other) {
        return Arrays.equals(shape, other);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
