package org.cnn4j.mnist.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cnn4j.mnist.InputException;

/**
 * An immutable set of grey-scale images, optionally with a class label each: the pixels of image
 * {@code i} are the {@code rows * cols} unsigned bytes (0 = background, 255 = ink, row-major)
 * starting at {@code i * rows * cols}; labels are 0..9. Unlabeled sets (a Kaggle test.csv) have no
 * labels at all rather than placeholder ones.
 *
 * <p>Pixels stay as bytes (a quarter of the memory of floats); converting and scaling is the
 * consumer's business. The arrays are never exposed: use the read-only views or the copies.
 */
public final class LabeledImages {
    /** Number of classes of every data set this project reads. */
    public static final int CLASSES = 10;

    private final byte[] pixels;
    private final byte[] labels;
    private final int size;
    private final int rows;
    private final int cols;
    private final List<String> classNames;

    /** Takes ownership of the arrays without copying; callers must have validated them. */
    private LabeledImages(byte[] pixels, byte[] labels, int rows, int cols, List<String> classNames) {
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.size = pixels.length / (rows * cols);
        this.classNames = classNames;
    }

    /**
     * A labeled or unlabeled image set from copies of the given arrays.
     *
     * @param pixels {@code n * rows * cols} unsigned bytes
     * @param labels {@code n} labels 0..9, or {@code null} for an unlabeled set
     * @param classNames empty, or the {@value #CLASSES} names of the labels
     * @throws IllegalArgumentException if the sizes disagree or a label is not 0..9
     */
    public static LabeledImages of(byte[] pixels, byte[] labels, int rows, int cols, List<String> classNames) {
        return wrap(pixels.clone(), labels == null ? null : labels.clone(), rows, cols, classNames);
    }

    /** As {@link #of} without copying: for readers that have just allocated the arrays. */
    static LabeledImages wrap(byte[] pixels, byte[] labels, int rows, int cols, List<String> classNames) {
        Objects.requireNonNull(pixels, "pixels");
        if (rows <= 0 || cols <= 0 || pixels.length % (rows * cols) != 0) {
            throw new IllegalArgumentException(
                    pixels.length + " pixel bytes are not a whole number of " + rows + "x" + cols + " images");
        }
        int n = pixels.length / (rows * cols);
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException(labels.length + " labels for " + n + " images");
            }
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= CLASSES) {
                    throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is not 0..9");
                }
            }
        }
        List<String> names = List.copyOf(classNames);
        if (!names.isEmpty() && names.size() != CLASSES) {
            throw new IllegalArgumentException(names.size() + " class names, expected " + CLASSES + " or none");
        }
        return new LabeledImages(pixels, labels, rows, cols, names);
    }

    /**
     * Reads an IDX image file and its IDX label file (each raw or gzipped) and checks that they
     * hold the same number of items.
     *
     * @throws InputException on any problem with either file; a count mismatch names both
     */
    public static LabeledImages loadIdx(Path imagesFile, Path labelsFile, List<String> classNames) {
        LabeledImages images = IdxReader.readImages(imagesFile);
        byte[] labels = IdxReader.readLabels(labelsFile);
        if (labels.length != images.size()) {
            throw new InputException(imagesFile + " and " + labelsFile + " do not match: "
                    + images.size() + " images but " + labels.length + " labels");
        }
        return wrap(images.pixels, labels, images.rows, images.cols, classNames);
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    /** Image height in pixels. */
    public int rows() {
        return rows;
    }

    /** Image width in pixels. */
    public int cols() {
        return cols;
    }

    /** Pixels per image, {@code rows * cols}. */
    public int imageSize() {
        return rows * cols;
    }

    /** Whether every image has a label. */
    public boolean isLabeled() {
        return labels != null;
    }

    /** The label 0..9 of image {@code i}; {@link IllegalStateException} if the set is unlabeled. */
    public int label(int i) {
        requireLabeled();
        Objects.checkIndex(i, size);
        return labels[i];
    }

    /** Pixel {@code p} (0 .. imageSize-1, row-major) of image {@code i}, as 0..255. */
    public int pixel(int i, int p) {
        Objects.checkIndex(i, size);
        Objects.checkIndex(p, imageSize());
        return pixels[i * imageSize() + p] & 0xff;
    }

    /** A read-only view of all pixels (read the bytes as unsigned: {@code b & 0xff}). */
    public ByteBuffer pixels() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** A read-only view of all labels; {@link IllegalStateException} if the set is unlabeled. */
    public ByteBuffer labels() {
        requireLabeled();
        return ByteBuffer.wrap(labels).asReadOnlyBuffer();
    }

    /** A copy of all pixels, {@code size * imageSize} bytes. */
    public byte[] copyPixels() {
        return pixels.clone();
    }

    /** A copy of all labels; {@link IllegalStateException} if the set is unlabeled. */
    public byte[] copyLabels() {
        requireLabeled();
        return labels.clone();
    }

    /** The names of labels 0..9 (e.g. "Sneaker" for Fashion-MNIST 7), or an empty list. */
    public List<String> classNames() {
        return classNames;
    }

    /** The same images with other class names. */
    public LabeledImages withClassNames(List<String> names) {
        return wrap(pixels, labels, rows, cols, names);
    }

    /** The same images without labels, e.g. to write a Kaggle test.csv. */
    public LabeledImages withoutLabels() {
        return new LabeledImages(pixels, null, rows, cols, classNames);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), as a copy. */
    public LabeledImages slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        byte[] p = Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        byte[] l = labels == null ? null : Arrays.copyOfRange(labels, from, to);
        return new LabeledImages(p, l, rows, cols, classNames);
    }

    /**
     * These images followed by {@code other}'s (same geometry; both labeled or both unlabeled).
     * With {@link #slice} this makes Kaggle's 42,000/28,000 re-split of MNIST's 60,000 + 10,000.
     */
    public LabeledImages concat(LabeledImages other) {
        if (other.rows != rows || other.cols != cols || other.isLabeled() != isLabeled()) {
            throw new IllegalArgumentException("cannot concatenate " + this + " and " + other);
        }
        byte[] p = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, p, pixels.length, other.pixels.length);
        byte[] l = null;
        if (labels != null) {
            l = Arrays.copyOf(labels, labels.length + other.labels.length);
            System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        }
        return new LabeledImages(p, l, rows, cols, classNames);
    }

    private void requireLabeled() {
        if (labels == null) {
            throw new IllegalStateException("this image set has no labels");
        }
    }

    /** Equal pixels, labels (or both unlabeled) and geometry; class names are not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImages other
                && rows == other.rows && cols == other.cols
                && Arrays.equals(pixels, other.pixels) && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return size + " " + rows + "x" + cols + " images, " + (labels == null ? "unlabeled" : "labeled");
    }
}
