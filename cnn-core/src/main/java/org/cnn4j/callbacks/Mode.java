package org.cnn4j.callbacks;

/** Whether a monitored metric should go down ({@code MIN}, losses) or up ({@code MAX}, accuracies). */
public enum Mode {
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX,
    /** {@code MAX} if the metric's name mentions "acc", else {@code MIN} (Keras 2's rule). */
    AUTO;

    /**
     * Resolves AUTO for a metric name.
     *
     * @param monitor the metric name: accuracies are maximised, anything else minimised
     * @return MIN or MAX
     */
    public Mode resolve(String monitor) {
        if (this != AUTO) {
            return this;
        }
        return monitor.contains("acc") ? MAX : MIN;
    }

    /** The best value before the first epoch: -inf for MAX, +inf for MIN, as Keras 2 starts (a NaN never improves on it). */
    static double initialBest(Mode resolved) {
        return resolved == MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Keras's improvement test: {@code current - minDelta > best} (max) or {@code current + minDelta < best} (min). */
    static boolean improved(Mode resolved, double current, double best, double minDelta) {
        return resolved == MAX ? current - minDelta > best : current + minDelta < best;
    }
}
