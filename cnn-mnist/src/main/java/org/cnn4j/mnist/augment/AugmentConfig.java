package org.cnn4j.mnist.augment;

import java.util.Objects;

/**
 * The settings of a Keras {@code ImageDataGenerator} restricted to what the Kaggle kernel uses:
 * rotation, the two shifts and zoom, plus the two details that changed between Keras versions.
 *
 * @param rotationRange    degrees; theta is drawn from U(-range, +range)
 * @param widthShiftRange  fraction of the width; scales {@code ty} (the column shift), as in Keras
 * @param heightShiftRange fraction of the height; scales {@code tx} (the row shift), as in Keras
 * @param zoomLow          lower end of the zoom factor range (Keras {@code zoom_range=z} means 1-z)
 * @param zoomHigh         upper end of the zoom factor range (1+z)
 * @param interpolation    how the pull map samples the input
 * @param center           where rotation and zoom are centred
 */
public record AugmentConfig(
        double rotationRange,
        double widthShiftRange,
        double heightShiftRange,
        double zoomLow,
        double zoomHigh,
        Interpolation interpolation,
        CenterConvention center) {

    /** Validates the ranges; they come from code, so a bad value is a programming error. */
    public AugmentConfig {
        requireRange("rotationRange", rotationRange, Double.POSITIVE_INFINITY);
        // Keras reads a shift >= 1 as whole pixels, not a fraction; only the fraction form is supported.
        requireRange("widthShiftRange", widthShiftRange, 1);
        requireRange("heightShiftRange", heightShiftRange, 1);
        if (!(zoomLow > 0) || !(zoomHigh >= zoomLow) || !Double.isFinite(zoomHigh)) {
            throw new IllegalArgumentException(
                    "zoom range must satisfy 0 < low <= high < inf, got [" + zoomLow + ", " + zoomHigh + "]");
        }
        Objects.requireNonNull(interpolation, "interpolation");
        Objects.requireNonNull(center, "center");
    }

    private static void requireRange(String name, double value, double limit) {
        if (!(value >= 0) || !(value < limit)) {
            throw new IllegalArgumentException(name + " must be in [0, " + limit + "), got " + value);
        }
    }

    /**
     * The kernel's generator as modern Keras runs it: rotation 10, shifts 0.1, zoom 0.1, bilinear,
     * true pixel centre.
     */
    public static AugmentConfig kaggleKernel() {
        return builder().rotationRange(10).widthShiftRange(0.1).heightShiftRange(0.1).zoomRange(0.1).build();
    }

    /**
     * The kernel's generator as Keras 2.0.x ran it in 2017: same ranges, nearest-neighbour sampling
     * and the centre one pixel off ({@code size/2 + 0.5}).
     */
    public static AugmentConfig kaggleKernel2017() {
        return kaggleKernel().toBuilder()
                .interpolation(Interpolation.NEAREST)
                .center(CenterConvention.KERAS_2017)
                .build();
    }

    /** A builder starting from all ranges zero (the identity), bilinear, correct centre. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rotationRange = rotationRange;
        b.widthShiftRange = widthShiftRange;
        b.heightShiftRange = heightShiftRange;
        b.zoomLow = zoomLow;
        b.zoomHigh = zoomHigh;
        b.interpolation = interpolation;
        b.center = center;
        return b;
    }

    /** Whether zoom is switched off, in which case Keras draws no zoom factors at all. */
    public boolean zoomDisabled() {
        return zoomLow == 1 && zoomHigh == 1;
    }

    /** Mutable builder for {@link AugmentConfig}. */
    public static final class Builder {
        private double rotationRange;
        private double widthShiftRange;
        private double heightShiftRange;
        private double zoomLow = 1;
        private double zoomHigh = 1;
        private Interpolation interpolation = Interpolation.BILINEAR;
        private CenterConvention center = CenterConvention.CORRECT;

        private Builder() {
        }

        /** Keras {@code rotation_range}, in degrees. */
        public Builder rotationRange(double degrees) {
            this.rotationRange = degrees;
            return this;
        }

        /** Keras {@code width_shift_range}, as a fraction of the width. */
        public Builder widthShiftRange(double fraction) {
            this.widthShiftRange = fraction;
            return this;
        }

        /** Keras {@code height_shift_range}, as a fraction of the height. */
        public Builder heightShiftRange(double fraction) {
            this.heightShiftRange = fraction;
            return this;
        }

        /** Keras scalar {@code zoom_range=z}: factors from U(1-z, 1+z). */
        public Builder zoomRange(double z) {
            return zoomRange(1 - z, 1 + z);
        }

        /** Keras pair {@code zoom_range=[low, high]}. */
        public Builder zoomRange(double low, double high) {
            this.zoomLow = low;
            this.zoomHigh = high;
            return this;
        }

        /** How the input is sampled. */
        public Builder interpolation(Interpolation interpolation) {
            this.interpolation = interpolation;
            return this;
        }

        /** Where rotation and zoom are centred. */
        public Builder center(CenterConvention center) {
            this.center = center;
            return this;
        }

        /** The immutable configuration; throws {@link IllegalArgumentException} on a bad range. */
        public AugmentConfig build() {
            return new AugmentConfig(rotationRange, widthShiftRange, heightShiftRange, zoomLow, zoomHigh,
                    interpolation, center);
        }
    }
}
