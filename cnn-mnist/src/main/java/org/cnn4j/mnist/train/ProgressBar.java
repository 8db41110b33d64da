package org.cnn4j.mnist.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.model.BatchStats;
import org.cnn4j.model.Callback;
import org.cnn4j.model.Sequential;

/**
 * Keras-style progress: on a terminal a bar redrawn in place with images/s, ETA, loss and accuracy;
 * elsewhere (CI, a log file) a plain line every so often. An epoch ends with one line of metrics.
 */
public final class ProgressBar implements Callback {
    private final PrintStream out;
    private final boolean terminal;
    private int epochs;
    private long lastDraw;

    /** Progress to {@code out}; {@code terminal} redraws one line in place. */
    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch) {
        out.printf("Epoch %d/%d%n", epoch + 1, epochs);
        lastDraw = 0;
    }

    @Override
    public void onBatchEnd(int epoch, BatchStats s) {
        long now = System.nanoTime();
        boolean last = s.batch() == s.batches();
        long interval = terminal ? 200_000_000L : 15_000_000_000L;
        if (!last && now - lastDraw < interval) {
            return;
        }
        lastDraw = now;
        double eta = (s.batches() - s.batch()) * s.elapsedSeconds() / s.batch();
        String stats = String.format(Locale.ROOT, "%4.0f img/s - ETA %s - loss: %.4f - accuracy: %.4f",
                s.imagesPerSecond(), time(eta), s.loss(), s.accuracy());
        if (terminal) {
            int width = 30, done = (int) ((long) width * s.batch() / s.batches());
            String bar = "=".repeat(Math.max(0, done - 1)) + (done < width ? ">" : "=") + ".".repeat(width - done);
            out.printf("\r%d/%d [%s] %s", s.batch(), s.batches(), bar, stats);
            if (last) {
                out.print("\r\033[K");
            }
            out.flush();
        } else if (!last) {
            out.printf("  %d/%d - %s%n", s.batch(), s.batches(), stats);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        StringBuilder b = new StringBuilder();
        logs.forEach((k, v) -> b.append(" - ").append(k).append(": ")
                .append(k.equals("lr") ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.4f", v)));
        out.println(b.substring(3));
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
