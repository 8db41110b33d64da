package org.cnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.tensor.Tensor;

/**
 * What a layer is for one per-sample input shape, declared once: the per-sample output shape, the
 * trainable parameters and the non-trainable buffers (name and shape of each, in order). A layer
 * returns it from {@link Layer#spec}; {@link Layer#build} creates exactly these tensors, and the
 * output shape and parameter counts are read from it, so they cannot disagree.
 *
 * <pre>{@code
 * LayerSpec.output(f, oh, ow).param("kernel", f, c, kh, kw).param("bias", f)
 * LayerSpec.output(c, h, w).param("gamma", c).param("beta", c)
 *         .buffer("moving_mean", c).buffer("moving_variance", c)
 * }</pre>
 *
 * <p>Instances are immutable: {@link #param} and {@link #buffer} return a new spec.
 */
public final class LayerSpec {
    private final int[] output;
    private final List<Entry> params;
    private final List<Entry> buffers;

    private LayerSpec(int[] output, List<Entry> params, List<Entry> buffers) {
        this.output = output;
        this.params = params;
        this.buffers = buffers;
    }

    /**
     * A spec with the given per-sample output shape and no parameters or buffers yet.
     *
     * @param shape the per-sample output shape (no batch dimension)
     * @return the spec
     * @throws IllegalArgumentException if a dimension is negative or the shape is too large for one array
     */
    public static LayerSpec output(int... shape) {
        Tensor.checkedSize(shape);
        return new LayerSpec(shape.clone(), List.of(), List.of());
    }

    /**
     * This spec with one more trainable parameter after the others.
     *
     * @param name the parameter's name within its layer, such as {@code "kernel"}
     * @param shape the parameter's shape
     * @return a new spec
     * @throws IllegalArgumentException if the name is already taken in this spec, or the shape is invalid
     */
    public LayerSpec param(String name, int... shape) {
        return new LayerSpec(output, append(params, new Entry(checkName(name), shape)), buffers);
    }

    /**
     * This spec with one more non-trainable buffer (saved, restored, never given a gradient) after
     * the others.
     *
     * @param name the buffer's name within its layer, such as {@code "moving_mean"}
     * @param shape the buffer's shape
     * @return a new spec
     * @throws IllegalArgumentException if the name is already taken in this spec, or the shape is invalid
     */
    public LayerSpec buffer(String name, int... shape) {
        return new LayerSpec(output, params, append(buffers, new Entry(checkName(name), shape)));
    }

    /**
     * The per-sample output shape.
     *
     * @return a copy of the shape
     */
    public int[] outputShape() {
        return output.clone();
    }

    /**
     * The trainable parameters, in order.
     *
     * @return an unmodifiable list
     */
    public List<Entry> params() {
        return params;
    }

    /**
     * The non-trainable buffers, in order.
     *
     * @return an unmodifiable list
     */
    public List<Entry> buffers() {
        return buffers;
    }

    /**
     * The number of trainable scalars.
     *
     * @return the sum of the parameters' sizes
     */
    public long paramCount() {
        return count(params);
    }

    /**
     * The number of non-trainable scalars.
     *
     * @return the sum of the buffers' sizes
     */
    public long bufferCount() {
        return count(buffers);
    }

    private static long count(List<Entry> es) {
        long n = 0;
        for (Entry e : es) {
            n += e.size();
        }
        return n;
    }

    private String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter or buffer needs a non-empty name");
        }
        for (List<Entry> es : List.of(params, buffers)) {
            for (Entry e : es) {
                if (e.name().equals(name)) {
                    throw new IllegalArgumentException("the name '" + name + "' is declared twice");
                }
            }
        }
        return name;
    }

    private static List<Entry> append(List<Entry> list, Entry e) {
        List<Entry> l = new ArrayList<>(list.size() + 1);
        l.addAll(list);
        l.add(e);
        return List.copyOf(l);
    }

    @Override
    public String toString() {
        return "LayerSpec" + Arrays.toString(output) + " params " + params + " buffers " + buffers;
    }

    /** One declared tensor: its name and shape. */
    public static final class Entry {
        private final String name;
        private final int[] shape;
        private final int size;

        private Entry(String name, int[] shape) {
            this.size = Tensor.checkedSize(shape);
            this.name = name;
            this.shape = shape.clone();
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
         * The shape.
         *
         * @return a copy of the shape
         */
        public int[] shape() {
            return shape.clone();
        }

        /**
         * The number of scalars.
         *
         * @return the product of the shape
         */
        public int size() {
            return size;
        }

        /**
         * Whether {@code t} has this entry's shape.
         *
         * @param t a tensor
         * @return true when the shapes are equal
         */
        boolean matches(Tensor t) {
            return t.sameShape(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }
}
