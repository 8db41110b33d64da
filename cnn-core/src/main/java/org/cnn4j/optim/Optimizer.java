package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.layers.Param;

/**
 * Updates parameters from their gradients. The learning rate may change between steps (schedules,
 * {@code ReduceLROnPlateau}); per-parameter state ("slots") is created on the first step and can be
 * saved and restored exactly for checkpoints.
 */
public abstract class Optimizer {
    private double learningRate;
    private long iterations;
    private final List<float[][]> slots = new ArrayList<>();

    /** An optimizer starting at {@code learningRate}. */
    protected Optimizer(double learningRate) {
        setLearningRate(learningRate);
    }

    /** The Keras name, such as {@code "RMSprop"}. */
    public abstract String name();

    /** How many state arrays each parameter needs (RMSprop 1, Adam 2, plain SGD 0). */
    protected abstract int slotsPerParam();

    /** Updates one parameter; {@code slots} has {@link #slotsPerParam()} arrays of its size. */
    protected abstract void update(Param p, float[][] slots, long step);

    /** One update of every parameter, in order, from its current gradient. */
    public void step(List<Param> params) {
        iterations++;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (slots.size() <= i) {
                float[][] s = new float[slotsPerParam()][];
                for (int j = 0; j < s.length; j++) {
                    s[j] = new float[p.size()];
                }
                slots.add(s);
            }
            update(p, slots.get(i), iterations);
        }
    }

    /** The current learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Changes the learning rate used from the next step on. */
    public void setLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
        this.learningRate = lr;
    }

    /** Steps taken so far. */
    public long iterations() {
        return iterations;
    }

    /** The state arrays, per parameter in order (empty before the first step). Live, not copies. */
    public List<float[][]> slots() {
        return slots;
    }

    /** Restores state saved from {@link #slots()} and {@link #iterations()}. */
    public void restore(List<float[][]> saved, long iterations) {
        slots.clear();
        slots.addAll(saved);
        this.iterations = iterations;
    }

    /** The hyper-parameters that rebuild this optimizer (the model file stores them). */
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("learning_rate", Double.toString(learningRate));
        return c;
    }

    /** Rebuilds an optimizer from its name and {@link #config()}. */
    public static Optimizer fromConfig(String name, Map<String, String> c) {
        double lr = num(c, "learning_rate");
        return switch (name) {
            case "RMSprop" -> new RMSprop(lr, num(c, "rho"), num(c, "epsilon"),
                    Boolean.parseBoolean(c.getOrDefault("epsilon_inside_sqrt", "false")));
            case "SGD" -> new SGD(lr, num(c, "momentum"), Boolean.parseBoolean(c.get("nesterov")));
            case "Adam" -> new Adam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'");
        };
    }

    private static double num(Map<String, String> c, String key) {
        String v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("optimizer configuration lacks '" + key + "'");
        }
        return Double.parseDouble(v);
    }
}
