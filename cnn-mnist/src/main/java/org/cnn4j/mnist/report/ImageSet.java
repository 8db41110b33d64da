package org.cnn4j.mnist.report;

import java.util.Objects;

/**
 * A read-only view of labelled single-channel images stored row-major one after another, either as
 * floats in [0, 1] or as unsigned bytes 0..255 (the CSV/IDX form), so reports never copy a data set.
 */
public final class ImageSet {
    private final float[] floats;
    private final byte[] bytes;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int count;

    private ImageSet(float[] floats, byte[] bytes, int length, int[] labels, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        int pixels = Math.multiplyExact(height, width);
        if (length % pixels != 0) {
            throw new IllegalArgumentException(length + " values are not whole " + height + "x" + width + " images");
        }
        this.count = length / pixels;
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
        this.floats = floats;
        this.bytes = bytes;
        this.labels = labels;
        this.height = height;
        this.width = width;
    }

    /** Images as floats in [0, 1]; {@code labels} may be null when unknown. Arrays are not copied. */
    public static ImageSet ofFloats(float[] pixels, int[] labels, int height, int width) {
        Objects.requireNonNull(pixels, "pixels");
        return new ImageSet(pixels, null, pixels.length, labels, height, width);
    }

    /** Images as unsigned bytes (0 = background); {@code labels} may be null. Arrays are not copied. */
    public static ImageSet ofBytes(byte[] pixels, int[] labels, int height, int width) {
        Objects.requireNonNull(pixels, "pixels");
        return new ImageSet(null, pixels, pixels.length, labels, height, width);
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    /** Rows per image. */
    public int height() {
        return height;
    }

    /** Columns per image. */
    public int width() {
        return width;
    }

    /** Whether labels are known. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The label of image {@code i}, or -1 when labels are unknown. */
    public int label(int i) {
        Objects.checkIndex(i, count);
        return labels == null ? -1 : labels[i];
    }

    /** Pixel {@code (r, c)} of image {@code i}, in [0, 1] where 1 is ink. */
    public float pixel(int i, int r, int c) {
        int k = (i * height + r) * width + c;
        return floats != null ? floats[k] : (bytes[k] & 0xFF) / 255f;
    }
}
