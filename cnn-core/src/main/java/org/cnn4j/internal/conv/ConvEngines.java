package org.cnn4j.internal.conv;

import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;

/** The one place that decides how a convolution is computed, pass by pass. */
public final class ConvEngines {
    /**
     * With fewer input channels the tile transforms cost more than the products they save (the
     * seed CNN's first layer has one channel).
     */
    private static final int WINOGRAD_MIN_CHANNELS = 4;

    private ConvEngines() {
    }

    /**
     * The engines of the two passes, and the name that reports them.
     *
     * @param forward the forward pass's engine
     * @param backward the backward pass's engine (may be the same object)
     * @param name {@code "im2col"}, {@code "dense"}, {@code "winograd F(4x4, 5x5)"},
     *     {@code "phases 2x2, winograd F(2x2, 3x3)"}, or
     *     {@code "im2col forward, winograd F(2x2, 3x3) backward"}
     */
    public record Choice(ConvEngine forward, ConvEngine backward, String name) {
    }

    /**
     * Chooses the engines for a convolution: like cuDNN, each pass takes the algorithm that is
     * fastest for it (measured on the seed CNN, docs/performance.md); forced Winograd does both.
     *
     * @param kernels the kernels
     * @param g the geometry of one image's convolution
     * @param filters the number of filters
     * @param t the settings
     * @return the engines
     */
    public static Choice choose(Kernels kernels, ConvGeometry g, int filters, ConvTuning t) {
        if (t.algorithm() == ConvTuning.Algorithm.AUTO && DenseConv.supports(g)) {
            // one output pixel: im2col would run N matrix-vector products, Winograd mostly padding
            // (v2's 4x4 conv on 4x4: 11 ms a step either way, 1 ms as one gemm; docs/performance.md)
            DenseConv dense = new DenseConv(kernels, g, filters);
            return new Choice(dense, dense, dense.name());
        }
        if (t.algorithm() == ConvTuning.Algorithm.AUTO && PhasedConv.pays(g)) {
            // strided: a stride-1 convolution over the input's phases, which can take Winograd
            // (v2's 5x5 stride-2 convs: docs/performance.md)
            Choice inner = choose(kernels, PhasedConv.phases(g), filters, t);
            if (inner.forward() == inner.backward() && inner.forward() instanceof PackedWinograd packed) {
                // packed Winograd both ways reads the phases from the input itself (no phase planes)
                PackedWinograd direct = packed.readingPhasesOf(g);
                inner = new Choice(direct, direct, inner.name());
            }
            PhasedConv phased = new PhasedConv(g, filters, inner);
            return new Choice(phased, phased, phased.name());
        }
        boolean fits = WinogradConv.supports(g);
        boolean use = switch (t.algorithm()) {
            case AUTO -> fits && g.channels() >= WINOGRAD_MIN_CHANNELS;
            case WINOGRAD -> fits;
            case IM2COL -> false;
        };
        if (!use) {
            Im2colConv im2col = new Im2colConv(kernels, g, filters);
            return new Choice(im2col, im2col, im2col.name());
        }
        WinogradConv winograd = WinogradConv.create(kernels, g, filters,
                t.winogradTile() > 0 ? t.winogradTile() : winogradTile(g), t.layout());
        if (t.algorithm() == ConvTuning.Algorithm.WINOGRAD || winograd.winsForward()) {
            return new Choice(winograd, winograd, winograd.name());
        }
        return new Choice(new Im2colConv(kernels, g, filters), winograd, "im2col forward, " + winograd.name() + " backward");
    }

    /**
     * Outputs per tile side: F(4x4, 5x5) for 5x5 kernels (2.25x fewer products than F(2x2, 5x5), at
     * an fp32 error still far below training noise); for 3x3 ones F(4x4, 3x3) when 4x4 tiles cover
     * an output of at least 12x12 exactly, else F(2x2, 3x3) (F(4x4, 3x3) wastes a third of its tiles
     * on the seed CNN's 14x14, and lost on v2's 10x10, 8x8 and 4x4 outputs); F(2x2, r x r)
     * otherwise. Measured on v2 (LayerProfile, one thread, CPU time, busy machine, medians of 3):
     * F(4x4, 3x3) took conv2d_1 (26x26 -> 24x24) from 41.7 to 38.0 ms a step, the phases of
     * conv2d_2 (12x12 out) from 44.7 to 41.4, and cost conv2d_5 (4x4 out) 12 ms more.
     * {@code -Dcnn4j.winograd.m5=2} picks F(2x2, 5x5) instead, {@code -Dcnn4j.winograd.m3=2|4}
     * F(2x2, 3x3) or F(4x4, 3x3) everywhere, to compare.
     */
    private static int winogradTile(ConvGeometry g) {
        int r = g.kh();
        if (r == 3) {
            boolean exact = g.outH() % 4 == 0 && g.outW() % 4 == 0 && g.outH() >= 12 && g.outW() >= 12;
            int m = Integer.getInteger("cnn4j.winograd.m3", exact ? 4 : 2);
            return m >= 1 && m <= 6 ? m : 2; // F(m, 3) needs m + 2 <= 8
        }
        if (r != 5) {
            return 2;
        }
        int m = Integer.getInteger("cnn4j.winograd.m5", 4);
        return m >= 1 && m <= 4 ? m : 4; // F(m, 5) needs m + 4 <= 8
    }
}
