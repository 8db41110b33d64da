package org.cnn4j.internal.conv;

import java.util.Locale;

/**
 * The settings that steer {@link ConvEngines#choose}: which algorithm, Winograd's tile size and
 * the layout of its transformed tiles. The defaults come from system properties, so a run can
 * compare algorithms without code: {@code -Dcnn4j.conv=im2col|winograd|auto},
 * {@code -Dcnn4j.winograd.m3=N}, {@code -Dcnn4j.winograd.m5=N},
 * {@code -Dcnn4j.winograd.layout=planar|packed|auto}.
 *
 * @param algorithm which algorithm
 * @param winogradTile Winograd's outputs per tile side, or 0 for the default of the kernel size
 * @param layout the layout of Winograd's transformed tiles
 */
public record ConvTuning(Algorithm algorithm, int winogradTile, WinogradConv.Layout layout) {
    /** How the convolution is computed. All give the same results up to rounding. */
    public enum Algorithm {
        /**
         * One gemm over the batch when an unpadded kernel covers the whole input; a strided
         * convolution as a stride-1 one over the input's phases when few phase taps are zero;
         * Winograd where it pays (stride 1, square kernel 2..7, 4+ input channels), pass by pass;
         * else im2col.
         */
        AUTO,
        /** im2col + gemm always. */
        IM2COL,
        /** Winograd wherever it applies, even for few channels, in both passes. */
        WINOGRAD
    }

    /** The settings of the system properties, read once. */
    public static final ConvTuning DEFAULT = new ConvTuning(
            parse("cnn4j.conv", Algorithm.class, Algorithm.AUTO, "auto, im2col or winograd"), 0,
            parse("cnn4j.winograd.layout", WinogradConv.Layout.class, WinogradConv.Layout.AUTO, "auto, planar or packed"));

    /**
     * These settings with another algorithm.
     *
     * @param a the algorithm
     * @return the new settings
     */
    public ConvTuning with(Algorithm a) {
        return new ConvTuning(a, winogradTile, layout);
    }

    /**
     * These settings with Winograd forced, F(m x m, r x r).
     *
     * @param m outputs per tile side
     * @return the new settings
     */
    public ConvTuning withWinogradTile(int m) {
        return new ConvTuning(Algorithm.WINOGRAD, m, layout);
    }

    /**
     * These settings with another tile layout.
     *
     * @param l the layout
     * @return the new settings
     */
    public ConvTuning with(WinogradConv.Layout l) {
        return new ConvTuning(algorithm, winogradTile, l);
    }

    private static <E extends Enum<E>> E parse(String property, Class<E> type, E fallback, String expected) {
        String v = System.getProperty(property, fallback.name());
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // a mistyped tuning flag must not stop training with a stack trace
            System.getLogger("org.cnn4j").log(System.Logger.Level.WARNING,
                    "ignoring -D" + property + "=" + v + " (expected " + expected + "); using "
                            + fallback.name().toLowerCase(Locale.ROOT));
            return fallback;
        }
    }
}
