package org.cnn4j.mnist.augment;

import java.util.Objects;
import org.cnn4j.init.Rng;

/**
 * Random affine augmentation that reproduces Keras {@code ImageDataGenerator.random_transform}
 * for rotation, shifts and zoom on one single-channel float image.
 *
 * <p>Per image it draws, in Keras order and skipping a draw when its range is zero (as Keras does):
 * {@code theta ~ U(-rot, rot)} degrees, {@code tx ~ U(-hs, hs) * H} (rows, from the height shift),
 * {@code ty ~ U(-ws, ws) * W} (columns, from the width shift), then {@code zx}, {@code zy} from
 * U(low, high) independently. It composes {@code M = R(theta) S(tx, ty) Z(zx, zy)}, centres it as
 * {@code T(+o) M T(-o)} and applies it as a pull map (see {@link AffineWarp}): a positive shift
 * moves content toward lower indices and a zoom above 1 makes the content smaller.
 *
 * <p>Not modelled: the two flip draws that keras-preprocessing makes even with flips off (the
 * random stream is not NumPy's, so bit-exact replay is impossible anyway), and the (x, y) axis swap
 * of Keras 2.9+/Keras 3, which puts tx on columns and flips the rotation sign; for square images
 * with equal shift ranges that swap leaves the distribution of outputs unchanged.
 *
 * <p>Immutable and allocation-free per call; thread-safe as long as each thread has its own
 * {@link Rng}.
 */
public final class Augmenter {
    /** Number of values written by {@link #sample}: theta (degrees), tx, ty, zx, zy. */
    public static final int PARAMS = 5;

    private final AugmentConfig config;

    /** An augmenter with the given ranges and conventions. */
    public Augmenter(AugmentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public AugmentConfig config() {
        return config;
    }

    /** Augments one {@code h x w} image: {@code out} (length >= h*w) receives a random transform of {@code in}. */
    public void augment(float[] in, float[] out, int h, int w, Rng rng) {
        augment(in, 0, out, 0, h, w, rng);
    }

    /**
     * Augments the {@code h x w} image at {@code in[inOff..]} into {@code out[outOff..]}, so a whole
     * data set and a batch buffer can be used without copies. Draws from {@code rng} in Keras order.
     */
    public void augment(float[] in, int inOff, float[] out, int outOff, int h, int w, Rng rng) {
        double theta = drawTheta(rng);
        double tx = drawTx(rng, h);
        double ty = drawTy(rng, w);
        double zx = drawZoom(rng);
        double zy = drawZoom(rng);
        transform(in, inOff, out, outOff, h, w, theta, tx, ty, zx, zy);
    }

    /**
     * Draws the parameters {@link #augment} would draw, without applying them: writes theta
     * (degrees), tx, ty, zx, zy into {@code params[0..4]}.
     */
    public void sample(int h, int w, Rng rng, double[] params) {
        if (params.length < PARAMS) {
            throw new IllegalArgumentException("params needs " + PARAMS + " slots, has " + params.length);
        }
        params[0] = drawTheta(rng);
        params[1] = drawTx(rng, h);
        params[2] = drawTy(rng, w);
        params[3] = drawZoom(rng);
        params[4] = drawZoom(rng);
    }

    /**
     * Applies explicit parameters, like Keras {@code apply_affine_transform}: {@code thetaDeg}
     * rotation in degrees, {@code tx} rows and {@code ty} columns of shift in pixels, {@code zx}
     * (rows) and {@code zy} (columns) zoom, with this augmenter's interpolation and centre.
     */
    public void transform(float[] in, float[] out, int h, int w,
            double thetaDeg, double tx, double ty, double zx, double zy) {
        transform(in, 0, out, 0, h, w, thetaDeg, tx, ty, zx, zy);
    }

    /** {@link #transform(float[], float[], int, int, double, double, double, double, double)} with offsets. */
    public void transform(float[] in, int inOff, float[] out, int outOff, int h, int w,
            double thetaDeg, double tx, double ty, double zx, double zy) {
        double rad = Math.toRadians(thetaDeg);
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        // M = R(theta) . S(tx, ty) . Z(zx, zy), multiplied out.
        double a00 = cos * zx;
        double a01 = -sin * zy;
        double a10 = sin * zx;
        double a11 = cos * zy;
        double t0 = cos * tx - sin * ty;
        double t1 = sin * tx + cos * ty;
        // T(+o) . M . T(-o) keeps M's linear part; its offset becomes t + o - A.o.
        double or = config.center().center(h);
        double oc = config.center().center(w);
        double b0 = t0 + or - (a00 * or + a01 * oc);
        double b1 = t1 + oc - (a10 * or + a11 * oc);
        AffineWarp.pull(in, inOff, out, outOff, h, w, a00, a01, b0, a10, a11, b1, config.interpolation());
    }

    private double drawTheta(Rng rng) {
        double r = config.rotationRange();
        return r == 0 ? 0 : rng.uniform(-r, r);
    }

    private double drawTx(Rng rng, int h) {
        double s = config.heightShiftRange();
        return s == 0 ? 0 : rng.uniform(-s, s) * h;
    }

    private double drawTy(Rng rng, int w) {
        double s = config.widthShiftRange();
        return s == 0 ? 0 : rng.uniform(-s, s) * w;
    }

    private double drawZoom(Rng rng) {
        return config.zoomDisabled() ? 1 : rng.uniform(config.zoomLow(), config.zoomHigh());
    }
}
