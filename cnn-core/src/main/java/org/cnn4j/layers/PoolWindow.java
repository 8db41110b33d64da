package org.cnn4j.layers;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cnn4j.internal.kernels.ConvGeometry;

/**
 * A pooling layer's window as Keras configures it ({@code pool_size}, {@code strides},
 * {@code padding}), and what the pooling layers with a window do alike with it: check it, lay it
 * over an input shape, and write it to and read it from a layer configuration.
 *
 * @param ph the window height
 * @param pw the window width
 * @param sh the vertical stride
 * @param sw the horizontal stride
 * @param padding valid or same
 */
record PoolWindow(int ph, int pw, int sh, int sw, Padding padding) {

    /** A checked window; the message names the layer type. */
    static PoolWindow of(String type, int ph, int pw, int sh, int sw, Padding padding) {
        if (ph < 1 || pw < 1 || sh < 1 || sw < 1) {
            throw new IllegalArgumentException(type + " needs pool and strides >= 1");
        }
        return new PoolWindow(ph, pw, sh, sw, Objects.requireNonNull(padding, "padding"));
    }

    /** The window over one image of per-sample shape {@code in}; {@code layer}'s one-line message if it does not fit. */
    ConvGeometry over(Layer layer, int[] in) {
        if (in.length != 3) {
            throw layer.badInput(in, "[channels, height, width]");
        }
        try {
            return ConvGeometry.of(in[0], in[1], in[2], ph, pw, sh, sw, padding == Padding.SAME);
        } catch (IllegalArgumentException e) {
            throw layer.badInput(in, "[channels, height, width] that a " + ph + "x" + pw + " window fits (" + e.getMessage() + ")");
        }
    }

    /** Adds {@code pool_size}, {@code strides} and {@code padding} to a layer configuration. */
    void writeTo(Map<String, String> config) {
        config.put("pool_size", ph + "x" + pw);
        config.put("strides", sh + "x" + sw);
        config.put("padding", padding.name().toLowerCase(Locale.ROOT));
    }

    /** The window {@link #writeTo} wrote, checked as {@link #of} checks it. */
    static PoolWindow readFrom(String type, Map<String, String> config) {
        int[] p = LayerConfig.pair(config, "pool_size");
        int[] s = LayerConfig.pair(config, "strides");
        return of(type, p[0], p[1], s[0], s[1], Padding.parse(LayerConfig.string(config, "padding")));
    }
}
