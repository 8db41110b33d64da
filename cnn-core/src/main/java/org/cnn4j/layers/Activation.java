package org.cnn4j.layers;

/**
 * The activations a {@link Conv2D} or {@link Dense} layer can apply to its output, and an
 * {@link ActivationLayer} applies on its own, with Keras's names and defaults.
 */
public enum Activation {
    /** The identity. */
    LINEAR,
    /** {@code max(0, x)}; its derivative at 0 is 0, as in TensorFlow. */
    RELU,
    /** Row-wise softmax (Dense only): the output is a probability distribution per sample. */
    SOFTMAX,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code tanh(x)}. */
    TANH,
    /**
     * {@code x} for {@code x > 0}, else {@code 0.2 x}: Keras 3's {@code leaky_relu} activation, whose
     * {@code negative_slope} defaults to 0.2 (the {@link LeakyReLU} layer's default is 0.3).
     */
    LEAKY_RELU,
    /** {@code x} for {@code x > 0}, else {@code exp(x) - 1}: Keras's {@code elu} with alpha 1.0. */
    ELU,
    /**
     * {@code x Φ(x) = x (1 + erf(x / √2)) / 2}, Keras's {@code gelu} with its default
     * {@code approximate=False}.
     */
    GELU;

    /** Keras 3's default {@code negative_slope} of the {@code leaky_relu} activation function. */
    public static final double LEAKY_RELU_SLOPE = 0.2;

    /**
     * Parses a Keras name such as {@code "relu"} or {@code "leaky_relu"} (case-insensitive).
     *
     * @param s the name
     * @return the activation
     * @throws IllegalArgumentException for an unknown name
     */
    public static Activation parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The Keras name.
     *
     * @return the name, such as {@code "leaky_relu"}
     */
    public String keras() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
