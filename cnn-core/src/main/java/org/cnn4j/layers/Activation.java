package org.cnn4j.layers;

/** The activations a {@link Conv2D} or {@link Dense} layer can apply to its output. */
public enum Activation {
    /** The identity. */
    LINEAR,
    /** {@code max(0, x)}; its derivative at 0 is 0, as in TensorFlow. */
    RELU,
    /** Row-wise softmax (Dense only): the output is a probability distribution per sample. */
    SOFTMAX;

    /**
     * Parses {@code "linear"}, {@code "relu"} or {@code "softmax"} (case-insensitive).
     *
     * @param s the name
     * @return the activation
     * @throws IllegalArgumentException for another name
     */
    public static Activation parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The Keras name.
     *
     * @return the name, such as {@code "relu"}
     */
    public String keras() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
