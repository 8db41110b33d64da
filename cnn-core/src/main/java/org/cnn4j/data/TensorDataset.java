package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

/** A dataset held in memory as two tensors: inputs {@code [N, ...]} and one-hot targets {@code [N, K]}. */
public final class TensorDataset implements Dataset {
    private final Tensor x;
    private final Tensor y;
    private final int[] sampleShape;

    /**
     * Wraps (does not copy) the inputs and one-hot targets.
     *
     * @param x inputs {@code [N, ...]}, at least one dimension per sample
     * @param y one-hot targets {@code [N, classes]}, one row per input
     * @throws IllegalArgumentException naming the expected and the actual shape when they do not fit
     */
    public TensorDataset(Tensor x, Tensor y) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("TensorDataset: expected inputs [N, ...] with at least one dimension per sample, got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (y.rank() != 2 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("TensorDataset: expected one-hot targets [" + x.dim(0)
                    + ", classes] (one row per input), got " + java.util.Arrays.toString(y.shape()));
        }
        this.x = x;
        this.y = y;
        int[] s = x.shape();
        this.sampleShape = java.util.Arrays.copyOfRange(s, 1, s.length);
    }

    @Override
    public int size() {
        return x.dim(0);
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public int numClasses() {
        return y.dim(1);
    }

    @Override
    public int label(int i) {
        int k = y.dim(1), best = 0;
        float[] d = y.data();
        for (int j = 1; j < k; j++) {
            if (d[i * k + j] > d[i * k + best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public void batch(int[] indices, int from, int count, float[] xb, float[] yb) {
        int xs = x.itemSize(), k = y.dim(1);
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
