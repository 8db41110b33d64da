package org.cnn4j.model;

/**
 * Loss and accuracy of a model over a dataset, and the predicted class of every sample.
 *
 * @param loss mean loss
 * @param accuracy fraction of samples whose arg-max prediction is the true class
 * @param predicted predicted class per sample, in dataset order
 * @param confidence the predicted class's probability per sample
 */
public record Evaluation(double loss, double accuracy, int[] predicted, float[] confidence) {
}
