package org.cnn4j.mnist.report;

import java.util.Arrays;

/**
 * Per-epoch training metrics, epoch {@code e} (1-based) at index {@code e-1}. A value that was not
 * measured (no validation set, say) is {@code NaN}. All arrays have the same length.
 *
 * <p>The fixed columns that {@code history.csv} and {@code curves.png} show, copied out of
 * cnn-core's {@link org.cnn4j.model.History} (a map from any metric name to its values) by
 * {@code train.Reports}.
 *
 * @param loss        mean training loss
 * @param accuracy    training accuracy in [0, 1]
 * @param valLoss     validation loss
 * @param valAccuracy validation accuracy in [0, 1]
 * @param lr          learning rate in force during the epoch
 */
public record EpochMetrics(double[] loss, double[] accuracy, double[] valLoss, double[] valAccuracy, double[] lr) {

    /** Copies the arrays, so a record never changes after it is made. */
    public EpochMetrics {
        int n = loss.length;
        if (accuracy.length != n || valLoss.length != n || valAccuracy.length != n || lr.length != n) {
            throw new IllegalArgumentException("history arrays differ in length: loss " + n + ", accuracy "
                    + accuracy.length + ", valLoss " + valLoss.length + ", valAccuracy " + valAccuracy.length
                    + ", lr " + lr.length);
        }
        loss = loss.clone();
        accuracy = accuracy.clone();
        valLoss = valLoss.clone();
        valAccuracy = valAccuracy.clone();
        lr = lr.clone();
    }

    /** No epochs yet. */
    public static EpochMetrics empty() {
        return new EpochMetrics(new double[0], new double[0], new double[0], new double[0], new double[0]);
    }

    /** This history with one more epoch at the end. */
    public EpochMetrics withEpoch(double loss, double accuracy, double valLoss, double valAccuracy, double lr) {
        return new EpochMetrics(append(this.loss, loss), append(this.accuracy, accuracy), append(this.valLoss, valLoss),
                append(this.valAccuracy, valAccuracy), append(this.lr, lr));
    }

    /** Number of epochs. */
    public int epochs() {
        return loss.length;
    }

    @Override
    public double[] loss() {
        return loss.clone();
    }

    @Override
    public double[] accuracy() {
        return accuracy.clone();
    }

    @Override
    public double[] valLoss() {
        return valLoss.clone();
    }

    @Override
    public double[] valAccuracy() {
        return valAccuracy.clone();
    }

    @Override
    public double[] lr() {
        return lr.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochMetrics h && Arrays.equals(loss, h.loss) && Arrays.equals(accuracy, h.accuracy)
                && Arrays.equals(valLoss, h.valLoss) && Arrays.equals(valAccuracy, h.valAccuracy)
                && Arrays.equals(lr, h.lr);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(loss), Arrays.hashCode(accuracy),
            Arrays.hashCode(valLoss), Arrays.hashCode(valAccuracy), Arrays.hashCode(lr)});
    }

    @Override
    public String toString() {
        return "EpochMetrics[" + epochs() + " epochs]";
    }

    private static double[] append(double[] a, double v) {
        double[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
