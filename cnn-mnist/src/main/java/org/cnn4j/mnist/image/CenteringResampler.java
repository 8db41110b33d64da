package org.cnn4j.mnist.image;

/**
 * Scales a grey image and places it in a square field in one resampling pass, so that a chosen
 * source point (the centre of mass) lands on a chosen field coordinate with sub-pixel accuracy.
 * Shrinking averages areas (every source pixel contributes by how much of it a field pixel covers);
 * enlarging interpolates bilinearly. Outside the source counts as background (0).
 */
final class CenteringResampler {
    private CenteringResampler() {
    }

    /**
     * Renders {@code src} ({@code w x h}, row-major) into a {@code size x size} field with the map
     * {@code field = scale * source + offset} per axis, in continuous coordinates where pixel
     * {@code i} spans {@code [i, i+1)}.
     */
    static double[] render(double[] src, int w, int h, double scale, double offX, double offY, int size) {
        Axis ax = Axis.of(w, scale, offX, size);
        Axis ay = Axis.of(h, scale, offY, size);
        // Columns first: each source row becomes `size` values.
        double[] rows = new double[h * size];
        for (int y = ay.minSource; y < ay.maxSource; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                double[] wts = ax.weights[x];
                int base = y * w + ax.start[x];
                for (int j = 0; j < wts.length; j++) {
                    s += wts[j] * src[base + j];
                }
                rows[y * size + x] = s;
            }
        }
        double[] out = new double[size * size];
        for (int y = 0; y < size; y++) {
            double[] wts = ay.weights[y];
            for (int j = 0; j < wts.length; j++) {
                int sy = ay.start[y] + j;
                for (int x = 0; x < size; x++) {
                    out[y * size + x] += wts[j] * rows[sy * size + x];
                }
            }
        }
        return out;
    }

    /** For each field index, the first source index it reads and the weights of the following ones. */
    private record Axis(int[] start, double[][] weights, int minSource, int maxSource) {
        static Axis of(int length, double scale, double offset, int size) {
            int[] start = new int[size];
            double[][] weights = new double[size][];
            int min = length;
            int max = 0;
            for (int f = 0; f < size; f++) {
                int lo;
                double[] w;
                if (scale <= 1) {
                    // The field pixel [f, f+1) covers the source interval [a, b) of length 1/scale.
                    double a = (f - offset) / scale;
                    double b = (f + 1 - offset) / scale;
                    lo = Math.max(0, (int) Math.floor(a));
                    int hi = Math.min(length, (int) Math.ceil(b));
                    w = new double[Math.max(0, hi - lo)];
                    for (int s = lo; s < hi; s++) {
                        w[s - lo] = (Math.min(b, s + 1) - Math.max(a, s)) * scale;
                    }
                } else {
                    // Sample at the field pixel's centre, in source index coordinates.
                    double u = (f + 0.5 - offset) / scale - 0.5;
                    int s0 = (int) Math.floor(u);
                    double t = u - s0;
                    lo = Math.max(0, s0);
                    int hi = Math.min(length, s0 + 2);
                    w = new double[Math.max(0, hi - lo)];
                    for (int s = lo; s < hi; s++) {
                        w[s - lo] = s == s0 ? 1 - t : t;
                    }
                }
                start[f] = lo;
                weights[f] = w;
                if (w.length > 0) {
                    min = Math.min(min, lo);
                    max = Math.max(max, lo + w.length);
                }
            }
            return new Axis(start, weights, min, max);
        }
    }
}
