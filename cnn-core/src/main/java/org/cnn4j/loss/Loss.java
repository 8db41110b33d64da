package org.cnn4j.loss;

import org.cnn4j.tensor.Tensor;

/** A loss over a batch: its mean value and its gradient with respect to the predictions. */
public interface Loss {
    /**
     * The Keras name, e.g. {@code categorical_crossentropy}.
     *
     * @return the name
     */
    String name();

    /**
     * The mean loss over the batch of predictions {@code pred [N, K]} against {@code target [N, K]}.
     *
     * @param pred the predictions {@code [N, K]}
     * @param target the one-hot targets {@code [N, K]}
     * @return the mean loss
     */
    double value(Tensor pred, Tensor target);

    /**
     * Writes dL/dpred of the mean loss into {@code grad} (same shape as pred).
     *
     * @param pred the predictions {@code [N, K]}
     * @param target the one-hot targets {@code [N, K]}
     * @param grad receives dL/dpred, {@code [N, K]}
     */
    void gradient(Tensor pred, Tensor target, Tensor grad);

    /**
     * When the predictions are a softmax of logits z, writes dL/dz into {@code grad} and returns
     * true; returns false when this loss has no such shortcut.
      *
      * @param probs the softmax outputs {@code [N, K]}
      * @param target the one-hot targets {@code [N, K]}
      * @param grad receives dL/dz, {@code [N, K]}
      * @return true if {@code grad} was written
     */
    default boolean gradientFromLogits(Tensor probs, Tensor target, Tensor grad) {
        return false;
    }
}
