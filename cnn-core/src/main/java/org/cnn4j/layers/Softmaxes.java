package org.cnn4j.layers;

/** Row-wise softmax and its Jacobian-vector product, shared by {@link Softmax} and {@link Dense}. */
final class Softmaxes {
    private Softmaxes() {
    }

    /** In place over {@code rows x cols}: {@code y_i = exp(z_i - max) / Σ exp(z_j - max)}. */
    static void forward(float[] z, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(z[o + j] - max);
                z[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                z[o + j] *= inv;
            }
        }
    }

    /** In place: {@code dz_i = y_i * (dy_i - Σ_j dy_j y_j)}, the softmax Jacobian applied to dy. */
    static void backward(float[] dy, float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) dy[o + j] * y[o + j];
            }
            for (int j = 0; j < cols; j++) {
                dy[o + j] = (float) (y[o + j] * (dy[o + j] - dot));
            }
        }
    }
}
