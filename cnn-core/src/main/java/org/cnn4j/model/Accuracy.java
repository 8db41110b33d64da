package org.cnn4j.model;

import org.cnn4j.tensor.Tensor;

/**
 * The {@code accuracy} metric as Keras picks it from the shapes of the targets and the predictions
 * ({@code compile(metrics=["accuracy"])}): binary accuracy when the predictions' last axis has one
 * value ({@code p > 0.5} against the target), sparse categorical accuracy when the targets have
 * fewer axes or a last axis of one against several predictions (argmax against the label), else
 * categorical accuracy (argmax against argmax). Each is a mean over the last axis, then over the
 * rest, so for one row per sample it is the fraction of samples right.
 */
final class Accuracy {
    private Accuracy() {
    }

    /**
     * The number of samples right, counting a sample whose rows are partly right by the fraction right.
     *
     * @param out the predictions {@code [N, ..., K]}
     * @param y the targets
     * @return a value in {@code [0, N]}
     */
    static double correct(Tensor out, Tensor y) {
        int n = out.dim(0), k = out.dim(out.rank() - 1), rows = out.size() / k;
        float[] p = out.data(), t = y.data();
        double right = 0;
        if (k == 1) { // binary: Keras's binary_accuracy, threshold 0.5
            for (int i = 0; i < rows; i++) {
                right += t[i] == (p[i] > 0.5f ? 1f : 0f) ? 1 : 0;
            }
        } else if (y.size() == rows) { // sparse: the target is the class index
            for (int i = 0; i < rows; i++) {
                right += argmax(p, i * k, k) == t[i] ? 1 : 0;
            }
        } else {
            for (int i = 0; i < rows; i++) {
                right += argmax(p, i * k, k) == argmax(t, i * k, k) ? 1 : 0;
            }
        }
        return right * n / rows;
    }

    /** The first index of the largest value of {@code a[off .. off+n)}, as TensorFlow's argmax. */
    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
