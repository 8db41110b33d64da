package org.cnn4j.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, and the last value after
 * the last boundary. A step decay at chosen steps.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    /**
     * The schedule.
     *
     * @param boundaries strictly increasing step counts
     * @param values one more rate than boundaries, each finite and at least 0
     * @throws IllegalArgumentException when the lengths do not fit or a value is out of range
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay needs one more value than boundaries, got "
                    + boundaries.length + " boundaries and " + values.length + " values");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstantDecay boundaries must increase: " + Arrays.toString(boundaries));
            }
        }
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("PiecewiseConstantDecay values must be finite and >= 0: " + Arrays.toString(values));
            }
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public String name() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public double at(long step) {
        int i = 0;
        while (i < boundaries.length && step > boundaries[i]) {
            i++;
        }
        return values[i];
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder(), v = new StringBuilder();
        for (long x : boundaries) {
            b.append(b.isEmpty() ? "" : ",").append(x);
        }
        for (double x : values) {
            v.append(v.isEmpty() ? "" : ",").append(x);
        }
        c.put("boundaries", b.toString());
        c.put("values", v.toString());
        return c;
    }

    static PiecewiseConstantDecay parse(String boundaries, String values) {
        long[] b = boundaries.isEmpty() ? new long[0] : Arrays.stream(boundaries.split(",")).mapToLong(Long::parseLong).toArray();
        double[] v = Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
        return new PiecewiseConstantDecay(b, v);
    }
}
