package org.cnn4j.mnist.report;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, with the text reports the command line prints.
 * {@code counts()[t][p]} is how many samples of true class {@code t} were predicted as {@code p}.
 */
public final class ConfusionMatrix {
    private final int[][] counts;

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    /** Tallies predictions against true labels; every label must be in {@code [0, numClasses)}. */
    public static ConfusionMatrix of(int[] trueLabels, int[] predicted, int numClasses) {
        if (trueLabels.length != predicted.length) {
            throw new IllegalArgumentException(trueLabels.length + " true labels but " + predicted.length + " predictions");
        }
        int[][] m = new int[numClasses][numClasses];
        for (int i = 0; i < trueLabels.length; i++) {
            int t = trueLabels[i];
            int p = predicted[i];
            if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
                throw new IllegalArgumentException("sample " + i + ": label " + t + " / prediction " + p
                        + " outside 0.." + (numClasses - 1));
            }
            m[t][p]++;
        }
        return new ConfusionMatrix(m);
    }

    /** Wraps existing counts (copied); the matrix must be square. */
    public static ConfusionMatrix ofCounts(int[][] counts) {
        int k = counts.length;
        int[][] m = new int[k][];
        for (int t = 0; t < k; t++) {
            if (counts[t].length != k) {
                throw new IllegalArgumentException("confusion matrix row " + t + " has " + counts[t].length
                        + " columns, expected " + k);
            }
            m[t] = counts[t].clone();
        }
        return new ConfusionMatrix(m);
    }

    /** Number of classes. */
    public int numClasses() {
        return counts.length;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public int[][] counts() {
        int[][] m = new int[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            m[t] = counts[t].clone();
        }
        return m;
    }

    /** Count of true class {@code t} predicted as {@code p}. */
    public int count(int t, int p) {
        return counts[t][p];
    }

    /** Total number of samples. */
    public long total() {
        long n = 0;
        for (int[] row : counts) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Number of samples predicted correctly (the diagonal). */
    public long correct() {
        long correct = 0;
        for (int t = 0; t < counts.length; t++) {
            correct += counts[t][t];
        }
        return correct;
    }

    /** Fraction predicted correctly; NaN with no samples. */
    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : (double) correct() / n;
    }

    /** Of the samples predicted as {@code c}, the fraction that are {@code c}; NaN if none were. */
    public double precision(int c) {
        long predictedC = 0;
        for (int[] row : counts) {
            predictedC += row[c];
        }
        return predictedC == 0 ? Double.NaN : (double) counts[c][c] / predictedC;
    }

    /** Of the samples of class {@code c}, the fraction predicted as {@code c}; NaN if there are none. */
    public double recall(int c) {
        long support = support(c);
        return support == 0 ? Double.NaN : (double) counts[c][c] / support;
    }

    /** Number of samples whose true class is {@code c}. */
    public long support(int c) {
        long n = 0;
        for (int v : counts[c]) {
            n += v;
        }
        return n;
    }

    /**
     * The matrix as an aligned text table, rows = true class, columns = predicted class.
     * {@code classNames} may be null (the class numbers are used).
     */
    public String toTable(String[] classNames) {
        int k = counts.length;
        String[] names = names(classNames, k);
        int nameW = "true \\ pred".length();
        int cellW = 1;
        for (int c = 0; c < k; c++) {
            nameW = Math.max(nameW, names[c].length());
            cellW = Math.max(cellW, String.valueOf(c).length());
            for (int t = 0; t < k; t++) {
                cellW = Math.max(cellW, String.valueOf(counts[t][c]).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("true \\ pred", nameW, false));
        // Columns are numbered to stay narrow; the row names say what each number is.
        for (int c = 0; c < k; c++) {
            sb.append(' ').append(pad(String.valueOf(c), cellW, true));
        }
        sb.append('\n');
        for (int t = 0; t < k; t++) {
            sb.append(pad(names[t], nameW, false));
            for (int p = 0; p < k; p++) {
                sb.append(' ').append(pad(String.valueOf(counts[t][p]), cellW, true));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Per-class precision, recall and support, then overall accuracy, as aligned text. */
    public String toReport(String[] classNames) {
        int k = counts.length;
        String[] names = names(classNames, k);
        int nameW = "class".length();
        for (String n : names) {
            nameW = Math.max(nameW, n.length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("class", nameW, false)).append("  precision     recall    support\n");
        for (int c = 0; c < k; c++) {
            sb.append(pad(names[c], nameW, false))
                    .append("  ").append(pad(percent(precision(c)), 9, true))
                    .append("  ").append(pad(percent(recall(c)), 9, true))
                    .append("  ").append(pad(String.valueOf(support(c)), 9, true)).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "accuracy: %s (%d of %d)", percent(accuracy()), correct(), total()))
                .append('\n');
        return sb.toString();
    }

    /** Display names: the given ones, or the class numbers. */
    static String[] names(String[] classNames, int k) {
        if (classNames != null && classNames.length != k) {
            throw new IllegalArgumentException(classNames.length + " class names for " + k + " classes");
        }
        String[] names = new String[k];
        for (int c = 0; c < k; c++) {
            names[c] = classNames == null ? String.valueOf(c) : c + " " + classNames[c];
        }
        return names;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
