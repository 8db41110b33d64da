package org.cnn4j.model;

import java.util.Arrays;
import org.cnn4j.data.Dataset;
import org.cnn4j.tensor.Tensor;

/**
 * The checks at the model's public entry points: a wrong shape must fail there, with one line that
 * names the call, the expected and the actual shape, instead of a silently wrong answer or an
 * {@code ArrayIndexOutOfBoundsException} deep in a kernel.
 */
final class ShapeCheck {
    private ShapeCheck() {
    }

    /** {@code x} must be {@code [N, sample...]}; {@code N} may be anything. */
    static void batch(String call, Tensor x, int[] sample) {
        boolean ok = x.rank() == sample.length + 1;
        for (int i = 0; ok && i < sample.length; i++) {
            ok = x.dim(i + 1) == sample[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(call + ": expected " + batched(sample) + ", got "
                    + Arrays.toString(x.shape()) + hint(x, sample));
        }
    }

    /**
     * Targets for {@code n} inputs: {@code y [n, out...]} (one-hot rows, or any regression target
     * of the output's shape), or one value per input, {@code [n]} or {@code [n, 1]} (an integer
     * label for sparse categorical losses, a 0/1 target for one sigmoid output).
     */
    static void targets(String call, Tensor y, int n, int[] out) {
        int[] per = y.rank() >= 1 ? Arrays.copyOfRange(y.shape(), 1, y.rank()) : null;
        if (per == null || y.dim(0) != n || !fits(per, out)) {
            throw new IllegalArgumentException(call + ": expected targets " + withN(n, out) + " (one-hot, one row per input) or ["
                    + n + "] (one label per input), got " + Arrays.toString(y.shape()));
        }
    }

    /** A per-sample target shape the output can be scored against. */
    private static boolean fits(int[] target, int[] out) {
        boolean oneValue = target.length == 0 || target.length == 1 && target[0] == 1;
        return oneValue || Arrays.equals(target, out);
    }

    /**
     * A dataset's samples must have the model's input shape, and its targets must fit the output:
     * one-hot rows as wide as the output, or one label (or binary target) per sample.
     */
    static void dataset(String call, String what, Dataset d, int[] sample, int[] out) {
        int[] s = d.sampleShape();
        if (!Arrays.equals(s, sample)) {
            throw new IllegalArgumentException(call + ": expected " + what + " samples of shape " + Arrays.toString(sample)
                    + ", got " + Arrays.toString(s) + sampleHint(s, sample));
        }
        int[] t = d.targetShape();
        boolean oneValue = t.length == 1 && t[0] == 1;
        if (!oneValue && !Arrays.equals(t, out)) {
            throw new IllegalArgumentException(call + ": expected " + what + " with " + describeClasses(out) + ", got "
                    + (t.length == 1 ? t[0] + " classes" : "targets of shape " + Arrays.toString(t)));
        }
    }

    /** At least one sample: a step over none has no loss to take (its mean is 0/0). */
    static void someSamples(String call, Tensor x) {
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException(call + ": expected at least one sample, got " + Arrays.toString(x.shape()));
        }
    }

    /**
     * At least one sample in a dataset: a mean over none is 0/0, which the averaging calls used to
     * report as loss 0 and accuracy 0 (Keras refuses: "Expected input data to be non-empty").
     */
    static void someSamples(String call, String what, Dataset d) {
        if (d.size() == 0) {
            throw new IllegalArgumentException(call + ": the " + what + " holds no samples");
        }
    }

    static void batchSize(String call, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(call + ": expected a batch size >= 1, got " + batchSize);
        }
    }

    private static String describeClasses(int[] out) {
        return out.length == 1 ? out[0] + " classes (the model's output width)"
                : "targets of shape " + Arrays.toString(out) + " per sample";
    }

    private static String batched(int[] sample) {
        StringBuilder b = new StringBuilder("[N");
        for (int d : sample) {
            b.append(", ").append(d);
        }
        return b.append(']').toString();
    }

    private static String withN(int n, int[] sample) {
        StringBuilder b = new StringBuilder("[").append(n);
        for (int d : sample) {
            b.append(", ").append(d);
        }
        return b.append(']').toString();
    }

    /** What the user most likely meant, when the values are there but the shape is not. */
    private static String hint(Tensor x, int[] sample) {
        int per = 1;
        for (int d : sample) {
            per *= d;
        }
        int[] s = x.shape();
        if (Arrays.equals(s, sample)) {
            return " (one sample without its batch dimension? reshape it to " + withN(1, sample) + ")";
        }
        if (x.rank() >= 1 && x.itemSize() == per && x.dim(0) > 0) {
            return " (the values per sample are right: reshape it to " + withN(x.dim(0), sample) + ")";
        }
        return "";
    }

    private static String sampleHint(int[] s, int[] sample) {
        long a = 1, b = 1;
        for (int d : s) {
            a *= d;
        }
        for (int d : sample) {
            b *= d;
        }
        return a == b ? " (the values per sample are right but their shape is not)" : "";
    }
}
