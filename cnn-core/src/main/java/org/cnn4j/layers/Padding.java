package org.cnn4j.layers;

/** Keras padding modes. */
public enum Padding {
    /** No padding: the window stays inside the input. */
    VALID,
    /** Zero padding so that {@code out = ceil(in / stride)}; an odd extra row or column goes bottom/right. */
    SAME;

    /**
     * Parses {@code "same"} or {@code "valid"} (case-insensitive, as Keras lower-cases it).
     *
     * @param s the name
     * @return the padding
     * @throws IllegalArgumentException for another name
     */
    public static Padding parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
