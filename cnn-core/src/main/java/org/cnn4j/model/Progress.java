package org.cnn4j.model;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Sequential#fit} prints, as Keras's {@code verbose}: 1 is a progress bar with
 * images/s, ETA, loss and accuracy (on a terminal redrawn in place; elsewhere, such as CI or a log
 * file, a plain line every 15 seconds) and a line of metrics per epoch; 2 is one line per epoch.
 */
final class Progress implements Callback {
    private final PrintStream out;
    private final boolean terminal;
    private final int verbose;
    private final long plainInterval;
    private int epochs;
    private long lastDraw;
    private double epochSeconds;
    private double imagesPerSecond;

    /**
     * @param out where to print
     * @param terminal whether {@code out} is a terminal (redraw in place)
     * @param verbose 1 (bar) or 2 (a line per epoch)
     * @param plainIntervalNanos how often a plain (non-terminal) progress line is printed
     */
    Progress(PrintStream out, boolean terminal, int verbose, long plainIntervalNanos) {
        this.out = out;
        this.terminal = terminal;
        this.verbose = verbose;
        this.plainInterval = plainIntervalNanos;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch) {
        if (verbose == 1) {
            out.printf("Epoch %d/%d%n", epoch + 1, epochs);
        }
        lastDraw = 0;
    }

    @Override
    public void onBatchEnd(int epoch, BatchStats s) {
        epochSeconds = s.elapsedSeconds();
        imagesPerSecond = s.imagesPerSecond();
        if (verbose != 1) {
            return;
        }
        long now = System.nanoTime();
        boolean last = s.batch() == s.batches();
        long interval = terminal ? 200_000_000L : plainInterval;
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
        if (verbose == 2) {
            b.append(String.format(Locale.ROOT, "Epoch %d/%d - %s - %.0f img/s", epoch + 1, epochs, time(epochSeconds),
                    imagesPerSecond));
        }
        logs.forEach((k, v) -> b.append(" - ").append(k).append(": ")
                .append(k.equals("lr") ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.4f", v)));
        out.println(verbose == 2 ? b : b.substring(3));
        out.flush();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
