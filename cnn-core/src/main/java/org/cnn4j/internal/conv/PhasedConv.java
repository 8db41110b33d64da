package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Parallel;

/**
 * A strided convolution as a stride-1 one over the input's phases (space-to-depth), so that it
 * can take Winograd instead of a strided im2col, whose gathers and scatters cost as much as its
 * gemm (v2's 5x5 stride-2 convs).
 *
 * <p>With strides {@code sh, sw} and {@code p = iy + padTop}, {@code q = ix + padLeft} the padded
 * input's coordinates, phase {@code (a, b)} of channel {@code c} is the sub-image
 * {@code z[(c·sh + a)·sw + b][i][j] = xpad[c][sh·i + a][sw·j + b]}. Output
 * {@code y[f][oy][ox] = Σ k[f][c][ky][kx] · xpad[c][sh·oy + ky][sw·ox + kx]}; writing
 * {@code ky = sh·u + a}, {@code kx = sw·v + b}, that is {@code Σ k'[f][(c·sh + a)·sw + b][u][v] ·
 * z[(c·sh + a)·sw + b][oy + u][ox + v]}: a valid stride-1 convolution of {@code z}
 * ({@code C·sh·sw} channels) with the kernel {@code k'} of {@code ceil(kh/sh) x ceil(kw/sw)} taps,
 * zero where {@code sh·u + a >= kh} or {@code sw·v + b >= kw}. Each padded-input cell lies in
 * exactly one phase, so the input gradient is {@code dz} put back cell by cell, and the kernel
 * gradient is {@code dk'} without its zero taps. The products are the inner engine's, the same
 * sums in another order: equal to im2col's up to rounding, deterministic as the inner engine is.
 */
final class PhasedConv implements ConvEngine {
    private final ConvGeometry g;
    private final ConvGeometry inner;
    private final ConvEngine forwardEngine;
    private final ConvEngine backwardEngine;
    private final String name;
    private final int filters;
    /**
     * The phases of the last pass's input, {@code [N, C·sh·sw, innerH, innerW]}, and their
     * gradient: sized to the batch like a layer's buffers (v2's conv2d_2: 1.36x its input), so a
     * batch of 1000 for inference does not stay resident through training's batches of 86.
     */
    private float[] z = new float[0];
    private float[] dz = new float[0];
    private final float[] kernelPhases;
    private final float[] dKernelPhases;
    /**
     * Whether the inner engine reads x and writes dx itself ({@link PackedWinograd#readingPhasesOf}):
     * then the phase planes z and dz are never formed (split and merge were 7% of v2's step).
     */
    private final boolean direct;
    private final Call call = new Call();

    /**
     * The geometry of the stride-1 convolution over the phases of {@code g}: {@code C·sh·sw}
     * channels, kernel {@code ceil(kh/sh) x ceil(kw/sw)}, no padding, the same output.
     */
    static ConvGeometry phases(ConvGeometry g) {
        int sh = g.strideH(), sw = g.strideW();
        int kh = (g.kh() + sh - 1) / sh, kw = (g.kw() + sw - 1) / sw;
        return new ConvGeometry(g.channels() * sh * sw, g.outH() - 1 + kh, g.outW() - 1 + kw, kh, kw, 1, 1, 0, 0,
                g.outH(), g.outW());
    }

    /**
     * Whether the phases pay for {@code g}: strided, and the zero taps of the phase kernel are at
     * most half again the real ones (5x5 stride 2: 36 taps for 25; 3x3 stride 2 would be 16 for 9).
     */
    static boolean pays(ConvGeometry g) {
        if (g.strideH() == 1 && g.strideW() == 1) {
            return false;
        }
        // per channel, the phase kernel's sh·ceil(kh/sh) x sw·ceil(kw/sw) taps against kh x kw, in long:
        // phases(g)'s C·sh·sw channels overflow an int for huge strides (and then seemed to pay). As
        // th >= kh and tw >= kw, paying needs 2·th <= 3·kh and 2·tw <= 3·kw; checked first, the
        // product cannot overflow.
        int sh = g.strideH(), sw = g.strideW();
        long th = (long) sh * ((g.kh() - 1) / sh + 1), tw = (long) sw * ((g.kw() - 1) / sw + 1);
        return 2 * th <= 3L * g.kh() && 2 * tw <= 3L * g.kw() && 2 * th * tw <= 3L * g.kh() * g.kw();
    }

    PhasedConv(ConvGeometry g, int filters, ConvEngines.Choice innerChoice) {
        this.g = g;
        this.inner = phases(g);
        this.filters = filters;
        this.forwardEngine = innerChoice.forward();
        this.backwardEngine = innerChoice.backward();
        this.name = "phases " + g.strideH() + "x" + g.strideW() + ", " + innerChoice.name();
        this.kernelPhases = new float[filters * inner.patchSize()];
        this.dKernelPhases = new float[filters * inner.patchSize()];
        this.direct = forwardEngine == backwardEngine && forwardEngine instanceof PackedWinograd p && p.readsPhasesOf(g);
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether the inner engine reads x and writes dx itself, without phase planes (for tests). */
    boolean direct() {
        return direct;
    }

    // forward: x [N, C, H, W] -> z [N, C·sh·sw, H', W'] -> y [N, F, OH, OW]; direct: x -> y, z never formed
    @Override
    public void forward(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n) {
        phaseKernel(kernel);
        if (direct) {
            forwardEngine.forward(x, kernelPhases, bias, relu, y, n);
            return;
        }
        toPhases(x, n);
        forwardEngine.forward(z, kernelPhases, bias, relu, y, n);
    }

    // backward: dy -> dz (inner engine) -> dx; dk' -> dkernel; direct: dy -> dx, dz never formed
    @Override
    public void backward(float[] x, float[] kernel, float[] y, boolean relu, float[] dy, float[] dx, float[] dKernel,
                         float[] dBias, int n) {
        phaseKernel(kernel);
        if (direct) {
            backwardEngine.backward(x, kernelPhases, y, relu, dy, dx, dKernelPhases, dBias, n);
            unphaseKernel(dKernel);
            return;
        }
        // the phases again, from this call's x: nothing is assumed kept from the forward pass
        toPhases(x, n);
        if (dx != null && dz.length != n * inner.inSize()) {
            dz = new float[n * inner.inSize()];
        }
        backwardEngine.backward(z, kernelPhases, y, relu, dy, dx == null ? null : dz, dKernelPhases, dBias, n);
        unphaseKernel(dKernel);
        if (dx != null) {
            run(n, dx, false);
        }
    }

    private void toPhases(float[] x, int n) {
        if (z.length != n * inner.inSize()) {
            z = new float[n * inner.inSize()];
        }
        run(n, x, true);
    }

    private void run(int n, float[] image, boolean toPhases) {
        Call a = call;
        a.image = image;
        a.toPhases = toPhases;
        try {
            Parallel.forEach(n, a.task);
        } finally {
            a.image = null;
        }
    }

    /** One pass's arguments, reused with its task made once (as {@code Blas.Call}). */
    private final class Call {
        float[] image;
        boolean toPhases;
        final Parallel.Body task = (s, worker) -> {
            if (toPhases) {
                split(image, s);
            } else {
                merge(image, s);
            }
        };
    }

    // image s: x [C, H, W] -> z [C·sh·sw, H', W'], zero outside the image
    private void split(float[] x, int s) {
        int c = g.channels(), h = g.height(), w = g.width(), sh = g.strideH(), sw = g.strideW();
        int ph = inner.height(), pw = inner.width();
        int zo = s * inner.inSize();
        // one fill for the padding, rather than three short ones per row (their calls cost more than the copies)
        Arrays.fill(z, zo, zo + inner.inSize(), 0f);
        for (int ch = 0; ch < c; ch++) {
            int xc = (s * c + ch) * h * w;
            for (int a = 0; a < sh; a++) {
                for (int b = 0; b < sw; b++, zo += ph * pw) {
                    // phase columns j whose input column sw·j + b - padLeft lies inside [0, w)
                    int lo = firstAtLeast(g.padLeft() - b, sw), hi = Math.min(pw, firstAtLeast(w + g.padLeft() - b, sw));
                    for (int i = 0; i < ph; i++) {
                        int iy = sh * i + a - g.padTop(), row = zo + i * pw;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = lo, src = xc + iy * w + sw * lo + b - g.padLeft(); j < hi; j++, src += sw) {
                            z[row + j] = x[src];
                        }
                    }
                }
            }
        }
    }

    // image s: dz [C·sh·sw, H', W'] -> dx [C, H, W]; input cells no output sees get 0
    private void merge(float[] dx, int s) {
        int c = g.channels(), h = g.height(), w = g.width(), sh = g.strideH(), sw = g.strideW();
        int ph = inner.height(), pw = inner.width();
        Arrays.fill(dx, s * g.inSize(), (s + 1) * g.inSize(), 0f);
        int zo = s * inner.inSize();
        for (int ch = 0; ch < c; ch++) {
            int xc = (s * c + ch) * h * w;
            for (int a = 0; a < sh; a++) {
                for (int b = 0; b < sw; b++, zo += ph * pw) {
                    int lo = firstAtLeast(g.padLeft() - b, sw), hi = Math.min(pw, firstAtLeast(w + g.padLeft() - b, sw));
                    for (int i = 0; i < ph; i++) {
                        int iy = sh * i + a - g.padTop(), row = zo + i * pw;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = lo, dst = xc + iy * w + sw * lo + b - g.padLeft(); j < hi; j++, dst += sw) {
                            dx[dst] = dz[row + j];
                        }
                    }
                }
            }
        }
    }

    /** The first {@code j >= 0} with {@code j * stride >= shift}. */
    private static int firstAtLeast(int shift, int stride) {
        return shift <= 0 ? 0 : (shift + stride - 1) / stride;
    }

    // kernel [F, C, KH, KW] -> k' [F, C·sh·sw, KH', KW'], zero taps where sh·u + a >= KH or sw·v + b >= KW
    private void phaseKernel(float[] kernel) {
        int c = g.channels(), kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW();
        int ph = inner.kh(), pw = inner.kw();
        int o = 0;
        for (int f = 0; f < filters; f++) {
            for (int ch = 0; ch < c; ch++) {
                int k0 = (f * c + ch) * kh * kw;
                for (int a = 0; a < sh; a++) {
                    for (int b = 0; b < sw; b++) {
                        for (int u = 0; u < ph; u++) {
                            for (int v = 0; v < pw; v++, o++) {
                                int ky = sh * u + a, kx = sw * v + b;
                                kernelPhases[o] = ky < kh && kx < kw ? kernel[k0 + ky * kw + kx] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    // dk' [F, C·sh·sw, KH', KW'] -> dkernel [F, C, KH, KW]: each real tap once, the zero taps dropped
    private void unphaseKernel(float[] dKernel) {
        int c = g.channels(), kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW();
        int ph = inner.kh(), pw = inner.kw();
        int o = 0;
        for (int f = 0; f < filters; f++) {
            for (int ch = 0; ch < c; ch++) {
                int k0 = (f * c + ch) * kh * kw;
                for (int a = 0; a < sh; a++) {
                    for (int b = 0; b < sw; b++) {
                        for (int u = 0; u < ph; u++) {
                            for (int v = 0; v < pw; v++, o++) {
                                int ky = sh * u + a, kx = sw * v + b;
                                if (ky < kh && kx < kw) {
                                    dKernel[k0 + ky * kw + kx] = dKernelPhases[o];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
