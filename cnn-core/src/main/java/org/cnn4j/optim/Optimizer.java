package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.internal.config.Booleans;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.layers.Param;

/**
 * Updates parameters from their gradients. The learning rate may change between steps (schedules,
 * {@code ReduceLROnPlateau}); per-parameter state ("slots") is created on the first step and can be
 * saved and restored exactly for checkpoints.
 *
 * <p>A step is spread over {@link Parallel}'s threads in fixed ranges of {@value #RANGE} elements
 * of each parameter. Every update rule here is element-wise, so the weights after a step are the
 * same bits for any thread count.
 *
 * <p>With {@link #useEma}, as Keras's {@code use_ema=True}, every optimizer also keeps an
 * exponential moving average of each parameter, in one more slot after its own, and
 * {@code Sequential.fit} ends by writing the averages into the weights.
 */
public abstract class Optimizer {
    /**
     * Elements per parallel task: 64 KiB of each array, large enough that a task outweighs its
     * scheduling, small enough that the seed CNN's 887,530 weights make 60 tasks to balance.
     */
    static final int RANGE = 16 * 1024;

    private double learningRate;
    private LearningRateSchedule schedule;
    private long iterations;
    private final List<float[][]> slots = new ArrayList<>();
    /** Keras's {@code ema_momentum}; NaN when no moving average is kept ({@code use_ema=False}). */
    private double emaMomentum = Double.NaN;

    // The task table of the last step's parameters: task t of taskParam.length updates elements
    // [taskFrom[t], taskTo[t]) of parameter taskParam[t]. Rebuilt only when the parameter list
    // changes, so a steady-state step allocates nothing.
    private int[] plannedSizes = new int[0];
    private int[] taskParam = new int[0];
    private int[] taskFrom = new int[0];
    private int[] taskTo = new int[0];
    private final Call call = new Call();

    /**
     * One step's arguments, one record reused from step to step with its task made once (as
     * {@code Blas.Call}): the tasks read the parameters and the step number from here.
     */
    private final class Call {
        private List<Param> params;
        private long step;
        final Parallel.Body task = (t, worker) -> {
            int i = taskParam[t];
            float[][] s = slots.get(i);
            update(params.get(i), s, step, taskFrom[t], taskTo[t]);
            if (usesEma()) {
                average(params.get(i).value().data(), s[s.length - 1], step, taskFrom[t], taskTo[t]);
            }
        };

        void run(List<Param> params, long step) {
            this.params = params;
            this.step = step;
            try {
                Parallel.forEach(taskParam.length, task);
            } finally {
                this.params = null;
            }
        }
    }

    /**
     * An optimizer starting at {@code learningRate}.
     *
     * @param learningRate the initial learning rate
     */
    protected Optimizer(double learningRate) {
        this.learningRate = checkedRate(learningRate); // not setLearningRate: no overridable call from a constructor
    }

    /**
     * The Keras name, such as {@code "RMSprop"}.
     *
     * @return the name
     */
    public abstract String name();

    /**
     * How many state arrays each parameter needs (RMSprop 1, Adam 2, plain SGD 0).
     *
     * @return the count
     */
    protected abstract int slotsPerParam();

    /**
     * Updates elements {@code [from, to)} of one parameter (value, gradient and every slot at the
     * same indices); {@code slots} has {@link #slotsPerParam()} arrays of the parameter's size.
     * Called concurrently for disjoint ranges of the same parameter, so it must write nothing
     * outside its range and keep no state of its own.
      *
      * @param p the parameter
      * @param slots its state arrays
      * @param step the step number, from 1 (Adam's bias correction)
      * @param from the first element, included
      * @param to the last element, excluded
     */
    protected abstract void update(Param p, float[][] slots, long step, int from, int to);

    /**
     * One update of every parameter from its current gradient.
     *
     * @param params the parameters, in the same order at every step
     */
    public void step(List<Param> params) {
        int slotCount = slotCount();
        if (schedule != null) {
            learningRate = schedule.at(iterations); // this step's rate: Keras evaluates at the steps before it
        }
        iterations++;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (slots.size() <= i) {
                float[][] s = new float[slotCount][];
                for (int j = 0; j < s.length; j++) {
                    s[j] = new float[p.size()];
                }
                slots.add(s);
            }
        }
        plan(params);
        try {
            call.run(params, iterations);
        } finally {
            if (schedule != null) {
                learningRate = schedule.at(iterations); // the next step's, as Keras's optimizer.learning_rate reads
            }
        }
    }

    // avg = m·avg + (1 - m)·w, after the step's update; the first step's m is 0, so avg starts as the
    // weights (keras/src/optimizers/base_optimizer.py, _update_model_variables_moving_average)
    private void average(float[] w, float[] avg, long step, int from, int to) {
        float m = step == 1 ? 0f : (float) emaMomentum, k = 1 - m;
        for (int j = from; j < to; j++) {
            avg[j] = m * avg[j] + k * w[j];
        }
    }

    /**
     * Keeps an exponential moving average of the weights, as Keras's optimizers do with
     * {@code use_ema=True, ema_momentum=momentum}: after each step, {@code avg = momentum · avg +
     * (1 - momentum) · w} ({@code avg = w} after the first), and {@code Sequential.fit} ends by
     * writing the averages into the weights ({@link #finalizeVariableValues}). Training itself is
     * unchanged: the steps update the weights, not the averages. Only trainable parameters are
     * averaged; non-trainable buffers (BatchNormalization's moving statistics) are not, as in Keras.
     * Keras's {@code ema_overwrite_frequency} (writing the averages into the weights every n
     * steps) is not offered.
     *
     * @param momentum in [0, 1]; Keras's default {@code ema_momentum} is 0.99
     * @return this
     * @throws IllegalArgumentException if momentum is out of range
     * @throws IllegalStateException if the optimizer has taken a step (its slots are made)
     */
    public Optimizer useEma(double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("ema_momentum must be in [0, 1], got " + momentum);
        }
        if (!slots.isEmpty()) {
            throw new IllegalStateException(name() + " has taken steps; set use_ema before training");
        }
        this.emaMomentum = momentum;
        return this;
    }

    /**
     * Whether the optimizer keeps a moving average of the weights (Keras's {@code use_ema}).
     *
     * @return true after {@link #useEma}
     */
    public boolean usesEma() {
        return !Double.isNaN(emaMomentum);
    }

    /**
     * Keras's {@code ema_momentum}.
     *
     * @return the momentum, or NaN without {@link #useEma}
     */
    public double emaMomentum() {
        return emaMomentum;
    }

    /**
     * Writes the moving averages into the weights, as Keras's
     * {@code optimizer.finalize_variable_values}, which {@code fit} calls when it ends. Does nothing
     * without {@link #useEma} or before the first step.
     *
     * @param params the parameters the optimizer has been stepping, in the same order
     * @throws IllegalArgumentException if they are not the parameters it keeps state for
     */
    public void finalizeVariableValues(List<Param> params) {
        if (!usesEma() || slots.isEmpty()) {
            return;
        }
        if (params.size() != slots.size()) {
            throw new IllegalArgumentException(name() + " keeps averages of " + slots.size() + " parameters, got " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            float[][] s = slots.get(i);
            float[] avg = s[s.length - 1], w = params.get(i).value().data();
            if (avg.length != w.length) {
                throw new IllegalArgumentException(name() + ": parameter " + (i + 1) + " has " + w.length
                        + " values, its average " + avg.length);
            }
            System.arraycopy(avg, 0, w, 0, w.length);
        }
    }

    /** The arrays kept per parameter: the optimizer's own, and the moving average's with {@link #useEma}. */
    private int slotCount() {
        return slotsPerParam() + (usesEma() ? 1 : 0);
    }

    /** Cuts every parameter into ranges of {@link #RANGE} elements, unless the sizes are the last step's. */
    private void plan(List<Param> params) {
        if (sameSizes(params)) {
            return;
        }
        int tasks = 0;
        for (Param p : params) {
            tasks += (p.size() + RANGE - 1) / RANGE;
        }
        taskParam = new int[tasks];
        taskFrom = new int[tasks];
        taskTo = new int[tasks];
        int t = 0;
        for (int i = 0; i < params.size(); i++) {
            int size = params.get(i).size();
            for (int from = 0; from < size; from += RANGE, t++) {
                taskParam[t] = i;
                taskFrom[t] = from;
                taskTo[t] = Math.min(size, from + RANGE);
            }
        }
        plannedSizes = new int[params.size()];
        for (int i = 0; i < plannedSizes.length; i++) {
            plannedSizes[i] = params.get(i).size();
        }
    }

    private boolean sameSizes(List<Param> params) {
        if (params.size() != plannedSizes.length) {
            return false;
        }
        for (int i = 0; i < plannedSizes.length; i++) {
            if (params.get(i).size() != plannedSizes[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The current learning rate: during a step the step's, otherwise the next step's (with a
     * schedule, its value at {@link #iterations()}).
     *
     * @return the rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Changes the learning rate used from the next step on.
     *
     * @param lr the rate, positive and finite
     * @throws IllegalArgumentException for any other value
     * @throws IllegalStateException when a {@link LearningRateSchedule} drives the rate (as Keras
     *     refuses to set the rate of an optimizer built with a schedule)
     */
    public void setLearningRate(double lr) {
        if (schedule != null) {
            throw new IllegalStateException(name() + " takes its learning rate from a " + schedule.name()
                    + " schedule, so the rate cannot be set (ReduceLROnPlateau and a schedule do not combine)");
        }
        this.learningRate = checkedRate(lr);
    }

    private static double checkedRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
        return lr;
    }

    /**
     * Drives the learning rate by a schedule from now on, evaluated at every step (Keras: passing a
     * {@code LearningRateSchedule} as {@code learning_rate}).
     *
     * @param s the schedule
     * @return this optimizer
     */
    public Optimizer learningRateSchedule(LearningRateSchedule s) {
        this.schedule = java.util.Objects.requireNonNull(s, "schedule");
        this.learningRate = s.at(iterations);
        return this;
    }

    /**
     * The schedule that drives the learning rate.
     *
     * @return the schedule, or null when the rate is a plain number
     */
    public LearningRateSchedule learningRateSchedule() {
        return schedule;
    }

    /**
     * Steps taken so far.
     *
     * @return the count
     */
    public long iterations() {
        return iterations;
    }

    /**
     * The state arrays, per parameter in order (empty before the first step): the optimizer's own,
     * then the moving average with {@link #useEma}. Live, not copies.
     *
     * @return the arrays
     */
    public List<float[][]> slots() {
        return slots;
    }

    /**
     * Restores state saved from {@link #slots()} and {@link #iterations()}.
     *
     * @param saved the state arrays, per parameter
     * @param iterations the steps taken
     * @throws IllegalArgumentException if a parameter's state has not {@link #slotsPerParam()} arrays, or
     *     {@code iterations} is negative or {@link Long#MAX_VALUE} (the next step number would overflow)
     */
    public void restore(List<float[][]> saved, long iterations) {
        // checked here, not at the next step: a forged or foreign state would otherwise fail there with
        // an ArrayIndexOutOfBoundsException, or (a negative step count) turn Adam's weights into NaN
        if (iterations < 0 || iterations == Long.MAX_VALUE) {
            throw new IllegalArgumentException(name() + " state: invalid step count " + iterations);
        }
        for (int i = 0; i < saved.size(); i++) {
            if (saved.get(i).length != slotCount()) {
                throw new IllegalArgumentException(name() + " state of parameter " + (i + 1) + " has " + saved.get(i).length
                        + " arrays, " + name() + (usesEma() ? " with a moving average" : "") + " keeps " + slotCount());
            }
        }
        slots.clear();
        slots.addAll(saved);
        this.iterations = iterations;
        if (schedule != null) {
            learningRate = schedule.at(iterations);
        }
    }

    /**
     * The hyper-parameters that rebuild this optimizer (the model file stores them).
     *
     * @return the hyper-parameters by name
     */
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("learning_rate", Double.toString(learningRate));
        if (schedule != null) {
            c.put("learning_rate_schedule", schedule.name());
            schedule.config().forEach((k, v) -> c.put(SCHEDULE + k, v));
        }
        if (usesEma()) { // absent otherwise, so files written before use_ema existed read the same
            c.put("use_ema", "true");
            c.put("ema_momentum", Double.toString(emaMomentum));
        }
        return c;
    }

    /** The prefix of a schedule's keys in {@link #config()}. */
    private static final String SCHEDULE = "schedule.";

    /**
     * Rebuilds an optimizer from its name and {@link #config()}.
     *
     * @param name the name, such as {@code "RMSprop"}
     * @param c the hyper-parameters
     * @return the optimizer
     * @throws IllegalArgumentException for an unknown name or a bad value
     */
    public static Optimizer fromConfig(String name, Map<String, String> c) {
        String scheduleName = c.get("learning_rate_schedule");
        // with a schedule the stored rate may be 0 (a warm-up's start); the schedule sets it anyway
        double lr = scheduleName != null ? 1 : num(c, "learning_rate");
        Optimizer o = switch (name) {
            case "RMSprop" -> new RMSprop(lr, num(c, "rho"), num(c, "epsilon"), bool(c, "epsilon_inside_sqrt"));
            case "SGD" -> new SGD(lr, num(c, "momentum"), bool(c, "nesterov"));
            case "Adam" -> new Adam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            case "AdamW" -> new AdamW(lr, num(c, "weight_decay"), num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"))
                    .excludeFromWeightDecay(AdamW.names(c.getOrDefault("exclude_from_weight_decay", "")));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'");
        };
        if (bool(c, "use_ema")) {
            o.useEma(num(c, "ema_momentum"));
        }
        if (scheduleName != null) {
            Map<String, String> sc = new LinkedHashMap<>();
            c.forEach((k, v) -> {
                if (k.startsWith(SCHEDULE)) {
                    sc.put(k.substring(SCHEDULE.length()), v);
                }
            });
            o.learningRateSchedule(LearningRateSchedule.fromConfig(scheduleName, sc));
        }
        return o;
    }

    private static double num(Map<String, String> c, String key) {
        String v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("optimizer configuration lacks '" + key + "'");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer configuration '" + key + "' is not a number: '" + v + "'");
        }
    }

    /** A flag every writer stores as true or false; absent, Keras's default false (as files before it was written). */
    private static boolean bool(Map<String, String> c, String key) {
        return Booleans.parse("optimizer configuration", key, c.getOrDefault(key, "false"));
    }
}
