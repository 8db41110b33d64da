package org.cnn4j.loss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * A loss over a batch: its mean value and its gradient with respect to the predictions. The
 * predictions are {@code [N, ...]}; the targets are {@code [N, ...]} in the loss's own form (one-hot
 * rows, integer labels, or values of the predictions' shape).
 */
public interface Loss {
    /**
     * The Keras name.
     *
     * @return the name, such as {@code categorical_crossentropy}
     */
    String name();

    /**
     * The mean loss over a batch (Keras's {@code sum_over_batch_size} reduction).
     *
     * @param pred the predictions {@code [N, ...]}
     * @param target the targets {@code [N, ...]}
     * @return the mean loss
     * @throws IllegalArgumentException when the shapes do not fit this loss or a target is invalid
     */
    double value(Tensor pred, Tensor target);

    /**
     * Writes dL/dpred of the mean loss into {@code grad}.
     *
     * @param pred the predictions {@code [N, ...]}
     * @param target the targets {@code [N, ...]}
     * @param grad written: the gradient, of the predictions' shape
     * @throws IllegalArgumentException when the shapes do not fit this loss or a target is invalid
     */
    void gradient(Tensor pred, Tensor target, Tensor grad);

    /**
     * When the predictions are a softmax of logits z, writes dL/dz into {@code grad} and returns
     * true; returns false when this loss has no such shortcut.
     *
     * @param probs the softmax output {@code [N, K]}
     * @param target the targets
     * @param grad written when this returns true: dL/dz, {@code [N, K]}
     * @return whether {@code grad} was written
     */
    default boolean gradientFromLogits(Tensor probs, Tensor target, Tensor grad) {
        return false;
    }

    /**
     * The settings that rebuild this loss with {@link Losses#fromConfig}, beyond its name.
     *
     * @return a new mutable map, empty when the loss has no settings
     */
    default Map<String, String> config() {
        return new LinkedHashMap<>();
    }
}
