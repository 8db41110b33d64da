package org.cnn4j.data;

import java.util.Arrays;
import org.cnn4j.tensor.Tensor;

/**
 * A dataset held in memory as two tensors: inputs {@code [N, ...]} and targets {@code [N, ...]} of
 * any per-sample shape: one-hot rows {@code [N, K]} (categorical cross-entropy), integer labels
 * {@code [N]} or {@code [N, 1]} (sparse categorical cross-entropy), binary targets {@code [N, 1]},
 * or values of the model's output shape (mean squared error).
 */
public final class TensorDataset implements Dataset {
    private final Tensor x;
    private final Tensor y;
    private final int[] sampleShape;
    private final int[] targetShape;
    private final int classes;

    /**
     * Wraps (does not copy) the inputs and targets.
     *
     * @param x the inputs {@code [N, ...]}, at least one dimension per sample
     * @param y the targets {@code [N, ...]}, one per input: one-hot rows {@code [N, classes]}, or
     *     {@code [N]} / {@code [N, 1]} for integer labels or one binary target ({@code [N]} is taken as {@code [N, 1]})
     * @throws IllegalArgumentException naming the expected and the actual shape when they do not fit
     */
    public TensorDataset(Tensor x, Tensor y) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("TensorDataset: expected inputs [N, ...] with at least one dimension per sample, got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (y.rank() < 1 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("TensorDataset: expected targets [" + x.dim(0)
                    + ", ...] (one per input), got " + java.util.Arrays.toString(y.shape()));
        }
        this.x = x;
        this.y = y;
        int[] s = x.shape();
        this.sampleShape = Arrays.copyOfRange(s, 1, s.length);
        int[] t = y.shape();
        this.targetShape = t.length == 1 ? new int[] {1} : Arrays.copyOfRange(t, 1, t.length);
        this.classes = targetShape.length == 1 && targetShape[0] > 1 ? targetShape[0] : maxLabel(y) + 1;
    }

    /** The largest whole value among single-value targets (labels), at least 1 (two classes). */
    private static int maxLabel(Tensor y) {
        float max = 1;
        for (float v : y.data()) {
            max = Math.max(max, v);
        }
        return (int) Math.min(Integer.MAX_VALUE - 1, Math.floor(max));
    }

    @Override
    public int size() {
        return x.dim(0);
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /**
     * The width of a one-hot target, or for one value per sample (labels, binary targets) the largest
     * value plus one, and at least 2.
     *
     * @return the number of classes
     */
    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public int[] targetShape() {
        return targetShape.clone();
    }

    /**
     * The class of sample {@code i}: the index of the largest value of a one-hot row, or the value
     * itself (rounded) for one value per sample.
     *
     * @param i the sample
     * @return its class
     */
    @Override
    public int label(int i) {
        int k = y.itemSize(), best = 0;
        float[] d = y.data();
        if (k == 1) {
            return Math.round(d[i]);
        }
        for (int j = 1; j < k; j++) {
            if (d[i * k + j] > d[i * k + best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public void batch(int[] indices, int from, int count, float[] xb, float[] yb) {
        int xs = x.itemSize(), k = y.itemSize();
        for (int i = 0; i < count; i++) {
            int s = indices[from + i];
            System.arraycopy(x.data(), s * xs, xb, i * xs, xs);
            System.arraycopy(y.data(), s * k, yb, i * k, k);
        }
    }

    /**
     * One-hot encodes {@code labels} into {@code [N, classes]}, failing on a label out of range.
     *
     * @param labels the classes, each in {@code [0, classes)}
     * @param classes the class count
     * @return the targets {@code [labels.length, classes]}
     * @throws IllegalArgumentException naming the first label out of range
     */
    public static Tensor oneHot(int[] labels, int classes) {
        Tensor t = Tensor.zeros(labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is not in [0, " + classes + ")");
            }
            t.data()[i * classes + labels[i]] = 1f;
        }
        return t;
    }
}
