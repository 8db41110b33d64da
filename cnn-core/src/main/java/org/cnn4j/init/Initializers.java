package org.cnn4j.init;

/** Weight initialisers with Keras semantics. */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Keras {@code glorot_uniform}: U(-L, L) with {@code L = sqrt(6 / (fanIn + fanOut))}. For a conv
     * kernel {@code fanIn = kh*kw*in} and {@code fanOut = kh*kw*out}.
      *
      * @param w the weights to fill
      * @param fanIn inputs per output
      * @param fanOut outputs per input
      * @param rng the random stream
     */
    public static void glorotUniform(float[] w, int fanIn, int fanOut, Rng rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.uniform(-limit, limit);
        }
    }
}
