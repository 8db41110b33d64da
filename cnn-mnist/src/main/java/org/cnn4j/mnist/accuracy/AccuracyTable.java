package org.cnn4j.mnist.accuracy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The protocol's tables: every run as CSV, and per preset the mean and sample standard deviation of
 * the validation and test accuracy as Markdown, followed by every run.
 */
public final class AccuracyTable {
    private AccuracyTable() {
    }

    /**
     * Mean and sample standard deviation (n - 1 in the denominator; NaN for a single value).
     *
     * @param values the values, at least one
     * @return {mean, standard deviation}
     * @throws IllegalArgumentException if there are no values
     */
    public static double[] meanAndSd(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN};
    }

    /**
     * Every run, one CSV row each.
     *
     * @param runs the runs in table order
     * @return the CSV text with header
     */
    public static String csv(List<RunResult> runs) {
        StringBuilder sb = new StringBuilder(RunResult.CSV_HEADER).append('\n');
        for (RunResult r : runs) {
            sb.append(r.csvRow()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The Markdown summary: per preset (in the order first met) the run count and mean ± sd of the
     * validation and test accuracy in percent, then each run.
     *
     * @param title a heading line describing the protocol
     * @param runs the runs in table order
     * @return the Markdown text
     */
    public static String markdown(String title, List<RunResult> runs) {
        Map<String, List<RunResult>> by = new LinkedHashMap<>();
        for (RunResult r : runs) {
            by.computeIfAbsent(r.preset(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("| preset | runs | val accuracy % (mean ± sd) | test accuracy % (mean ± sd) | test errors (mean) |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<RunResult>> e : by.entrySet()) {
            List<RunResult> rs = e.getValue();
            double[] val = meanAndSd(rs.stream().mapToDouble(RunResult::valAccuracy).toArray());
            double[] test = meanAndSd(rs.stream().mapToDouble(RunResult::testAccuracy).toArray());
            double errors = rs.stream().mapToDouble(r -> (1 - r.testAccuracy()) * r.testImages()).average().orElse(0);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f |%n", e.getKey(), rs.size(), pct(val),
                    pct(test), errors));
        }
        sb.append("\n| preset | seed | epochs | train / val / test images | val accuracy % | test accuracy % "
                + "| val loss | test loss | minutes |\n|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (RunResult r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d / %,d / %,d | %.2f | %.2f | %.4f | %.4f | %.1f |%n",
                    r.preset(), r.seed(), r.epochs(), r.trainImages(), r.valImages(), r.testImages(),
                    100 * r.valAccuracy(), 100 * r.testAccuracy(), r.valLoss(), r.testLoss(), r.minutes()));
        }
        return sb.toString();
    }

    private static String pct(double[] meanSd) {
        return Double.isNaN(meanSd[1]) ? String.format(Locale.ROOT, "%.3f", 100 * meanSd[0])
                : String.format(Locale.ROOT, "%.3f ± %.3f", 100 * meanSd[0], 100 * meanSd[1]);
    }
}
