package org.cnn4j.mnist.report;

import java.nio.file.Path;

/**
 * {@code history.csv}: one row per epoch with the columns
 * {@code epoch,loss,accuracy,val_loss,val_accuracy,lr} (Keras 3 names), epochs counted from 1.
 */
public final class HistoryCsv {
    /** The header line, without the line break. */
    public static final String HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,lr";

    private HistoryCsv() {
    }

    /** The file content. Numbers use Java's shortest round-trip form; an unmeasured value is empty. */
    public static String format(EpochMetrics history) {
        double[] loss = history.loss();
        double[] acc = history.accuracy();
        double[] valLoss = history.valLoss();
        double[] valAcc = history.valAccuracy();
        double[] lr = history.lr();
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int e = 0; e < loss.length; e++) {
            sb.append(e + 1).append(',').append(number(loss[e])).append(',').append(number(acc[e])).append(',')
                    .append(number(valLoss[e])).append(',').append(number(valAcc[e])).append(',')
                    .append(number(lr[e])).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #format} to {@code file} atomically; failures are {@link org.cnn4j.mnist.InputException}s. */
    public static void write(EpochMetrics history, Path file) {
        ReportFiles.writeString(format(history), file);
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
