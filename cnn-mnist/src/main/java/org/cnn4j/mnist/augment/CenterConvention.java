package org.cnn4j.mnist.augment;

/**
 * Where Keras puts the centre that rotation and zoom turn around, in pixel-index coordinates
 * (pixel {@code i} has its centre at {@code i}).
 */
public enum CenterConvention {
    /**
     * {@code size/2 - 0.5}, the true centre of the pixel grid (13.5 for 28 pixels). Keras from
     * keras-preprocessing commit 33d9d59 (2020), Keras 2.9+ and Keras 3.
     */
    CORRECT(-0.5),
    /**
     * {@code size/2 + 0.5}, one pixel past the true centre (14.5 for 28 pixels). Keras 2.0.x up to
     * keras-preprocessing 1.1.2, so also the 2017 Kaggle kernel.
     */
    KERAS_2017(+0.5);

    private final double shift;

    CenterConvention(double shift) {
        this.shift = shift;
    }

    /** The centre coordinate along an axis of {@code size} pixels. */
    public double center(int size) {
        return size / 2.0 + shift;
    }
}
