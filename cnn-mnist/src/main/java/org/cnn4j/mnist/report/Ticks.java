package org.cnn4j.mnist.report;

import java.util.Locale;

/** "Nice" axis ticks (1, 2 or 5 times a power of ten) and their labels. */
final class Ticks {
    final double first;
    final double step;
    final int count;
    private final int decimals;

    private Ticks(double first, double step, int count) {
        this.first = first;
        this.step = step;
        this.count = count;
        this.decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    }

    /** About {@code target} ticks inside {@code [lo, hi]}; a single tick when {@code lo >= hi}. */
    static Ticks of(double lo, double hi, int target) {
        if (!(hi > lo)) {
            return new Ticks(lo, 1, 1);
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
        double first = Math.ceil(lo / step - 1e-9) * step;
        int count = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        return new Ticks(first, step, Math.max(count, 0));
    }

    /** Integer ticks (epochs) inside {@code [lo, hi]}, at most about {@code target} of them. */
    static Ticks integers(double lo, double hi, int target) {
        Ticks t = of(lo, hi, target);
        if (t.step >= 1) {
            return t;
        }
        double first = Math.ceil(lo);
        return new Ticks(first, 1, (int) Math.floor(hi - first) + 1);
    }

    /** The value of tick {@code i}. */
    double value(int i) {
        return first + i * step;
    }

    /** The label of tick {@code i}, with as many decimals as the step needs. */
    String label(int i) {
        double v = value(i);
        if (Math.abs(v) < step * 1e-6) {
            v = 0; // avoid "-0.00"
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
