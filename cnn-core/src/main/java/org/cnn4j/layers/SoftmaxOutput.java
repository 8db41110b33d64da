package org.cnn4j.layers;

import org.cnn4j.tensor.Tensor;

/**
 * A layer whose output is a softmax. With categorical cross-entropy the gradient with respect to
 * the softmax's input is simply {@code (p - y) / N}, so the model hands that straight to
 * {@link #backwardFromLogits} instead of going through the softmax Jacobian.
 */
public interface SoftmaxOutput {
    /**
     * True when the output really is a softmax (a Dense layer may have another activation).
     *
     * @return true for a softmax output
     */
    boolean outputsSoftmax();

    /**
     * Backward pass given dL/dz, the gradient with respect to the softmax's input (the logits).
     *
     * @param dLogits dL/dz for the last forward batch
     * @return dL/dx, or null when the input gradient is not needed
     */
    Tensor backwardFromLogits(Tensor dLogits);
}
