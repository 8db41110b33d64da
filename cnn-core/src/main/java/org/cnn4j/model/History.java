package org.cnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metrics of every epoch, by name ({@code loss}, {@code val_accuracy}, {@code lr}, ...). */
public final class History {
    private final Map<String, List<Double>> metrics = new LinkedHashMap<>();

    /** An empty history ({@link Sequential#fit} returns a filled one). */
    public History() {
    }

    /**
     * Appends one epoch's logs.
     *
     * @param logs the metrics by name
     */
    public void add(Map<String, Double> logs) {
        logs.forEach((k, v) -> metrics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }

    /**
     * The values of one metric, one per epoch (empty if never logged).
     *
     * @param metric the name, such as {@code "val_accuracy"}
     * @return the values, unmodifiable
     */
    public List<Double> get(String metric) {
        return Collections.unmodifiableList(metrics.getOrDefault(metric, List.of()));
    }

    /**
     * The metric names in the order they were first logged.
     *
     * @return the names
     */
    public List<String> names() {
        return List.copyOf(metrics.keySet());
    }

    /**
     * The number of epochs recorded.
     *
     * @return the count
     */
    public int epochs() {
        return metrics.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /**
     * The last value of a metric, or NaN.
     *
     * @param metric the name
     * @return the last value, or NaN if the metric was never logged
     */
    public double last(String metric) {
        List<Double> v = get(metric);
        return v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
    }
}
