package org.cnn4j.mnist.augment;

/**
 * A 2-D affine pull map with edge replication, the single-channel equivalent of
 * {@code scipy.ndimage.affine_transform(img, matrix, offset, order, mode='nearest')}.
 *
 * <p>Output pixel {@code (r, c)} reads the input at {@code (a00*r + a01*c + b0, a10*r + a11*c + b1)}
 * in (row, column) index coordinates. Sample points outside the image are clamped to the border,
 * which replicates the edge pixels ({@code aaaa|abcd|dddd}). Allocates nothing.
 */
public final class AffineWarp {
    private AffineWarp() {
    }

    /**
     * Fills {@code out[outOff .. outOff+h*w)} from {@code in[inOff .. inOff+h*w)}, both row-major
     * {@code h x w}. The two regions must not overlap.
     */
    public static void pull(float[] in, int inOff, float[] out, int outOff, int h, int w,
            double a00, double a01, double b0, double a10, double a11, double b1,
            Interpolation interpolation) {
        checkRegions(in, inOff, out, outOff, h, w);
        if (interpolation == Interpolation.NEAREST) {
            pullNearest(in, inOff, out, outOff, h, w, a00, a01, b0, a10, a11, b1);
        } else {
            pullBilinear(in, inOff, out, outOff, h, w, a00, a01, b0, a10, a11, b1);
        }
    }

    private static void pullNearest(float[] in, int inOff, float[] out, int outOff, int h, int w,
            double a00, double a01, double b0, double a10, double a11, double b1) {
        int o = outOff;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double sr = a00 * r + a01 * c + b0;
                double sc = a10 * r + a11 * c + b1;
                // SciPy's order-0 rule is floor(x + 0.5): halves round up, also below zero.
                int ir = clamp((int) Math.floor(sr + 0.5), h);
                int ic = clamp((int) Math.floor(sc + 0.5), w);
                out[o++] = in[inOff + ir * w + ic];
            }
        }
    }

    private static void pullBilinear(float[] in, int inOff, float[] out, int outOff, int h, int w,
            double a00, double a01, double b0, double a10, double a11, double b1) {
        int o = outOff;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double sr = a00 * r + a01 * c + b0;
                double sc = a10 * r + a11 * c + b1;
                double fr0 = Math.floor(sr);
                double fc0 = Math.floor(sc);
                double fr = sr - fr0;
                double fc = sc - fc0;
                int r0 = clamp((int) fr0, h);
                int r1 = clamp((int) fr0 + 1, h);
                int c0 = clamp((int) fc0, w);
                int c1 = clamp((int) fc0 + 1, w);
                int row0 = inOff + r0 * w;
                int row1 = inOff + r1 * w;
                // Weights of exactly 1 and 0 at integer points keep the identity map bit-exact.
                double top = (1 - fc) * in[row0 + c0] + fc * in[row0 + c1];
                double bottom = (1 - fc) * in[row1 + c0] + fc * in[row1 + c1];
                out[o++] = (float) ((1 - fr) * top + fr * bottom);
            }
        }
    }

    // Clamping a (possibly far out of range) index is SciPy's mode='nearest'.
    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    private static void checkRegions(float[] in, int inOff, float[] out, int outOff, int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
        }
        int n = Math.multiplyExact(h, w);
        if (inOff < 0 || inOff > in.length - n || outOff < 0 || outOff > out.length - n) {
            throw new IllegalArgumentException("image of " + h + "x" + w + " at input offset " + inOff
                    + " / output offset " + outOff + " does not fit arrays of " + in.length + " / " + out.length);
        }
        if (in == out && inOff < outOff + n && outOff < inOff + n) {
            throw new IllegalArgumentException("input and output regions overlap; a pull map cannot work in place");
        }
    }
}
