package org.cnn4j.mnist.augment;

/** How a pull map reads the input between pixel centres (SciPy's {@code order}). */
public enum Interpolation {
    /**
     * Order 0: the input pixel nearest to the sample point, halves rounded up like SciPy's
     * {@code floor(x + 0.5)}. Hard-coded by Keras 2.0.x, the version the 2017 Kaggle kernel ran on.
     */
    NEAREST,
    /** Order 1: bilinear between the four surrounding pixels. The default since Keras 2.1.5. */
    BILINEAR
}
