package org.cnn4j.internal.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Fuses neighbouring layers of an inference plan into one step (a convolution and the 2x2 max
 * pooling after it), without a public method for it. The layers package knows which layers fuse
 * and installs the {@link #install rule} when its {@code Layer} class initialises, so before any
 * layer exists; the model package, which builds predictors, {@link #apply applies} it. Neither
 * side names the other's internals, and nothing is exported. Training never goes through here.
 *
 * <p>{@code -Dcnn4j.fuse=false} turns fusion off, to compare (a fused step gives the same bits).
 */
public final class InferenceFusion {
    /** Until the layers package installs its rule: nothing fuses. */
    private static volatile BinaryOperator<Object> rule = (first, second) -> null;

    private InferenceFusion() {
    }

    /**
     * Sets the rule: given two neighbouring layers, the step that does what both do in inference
     * mode, or null when they do not fuse.
     *
     * @param r the rule
     */
    public static void install(BinaryOperator<Object> r) {
        rule = r;
    }

    /**
     * The steps of an inference plan: {@code layers}, each pair the rule fuses replaced by its
     * fused step, from the left; a fused step is offered the next layer in turn, so a run of
     * layers can become one step (consecutive convolutions that keep their activations packed).
     *
     * @param layers the layers, in order (inference copies: a fused step runs them and keeps them)
     * @param type the layers' type
     * @param <L> the layers' type
     * @return a new list
     */
    public static <L> List<L> apply(List<L> layers, Class<L> type) {
        boolean on = !"false".equalsIgnoreCase(System.getProperty("cnn4j.fuse", "true").trim());
        List<L> steps = new ArrayList<>(layers.size());
        if (layers.isEmpty()) {
            return steps;
        }
        L step = layers.getFirst();
        for (int i = 1; i < layers.size(); i++) {
            Object fused = on ? rule.apply(step, layers.get(i)) : null;
            if (fused != null) {
                step = type.cast(fused);
            } else {
                steps.add(step);
                step = layers.get(i);
            }
        }
        steps.add(step);
        return steps;
    }
}
