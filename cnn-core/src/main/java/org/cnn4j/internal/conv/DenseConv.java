package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.Blas;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;

/**
 * A convolution whose unpadded kernel covers the whole input (one output pixel, as v2's 4x4 conv
 * on a 4x4 input) is a dense layer over the flattened image: image n's im2col matrix is the image
 * itself, {@code [C*H*W, 1]}, in the kernel's own {@code [C, KH, KW]} order. So the batch is one
 * gemm per pass, {@code y [N, F] = x [N, CHW] · kernel [F, CHW]ᵀ}, instead of N matrix-vector
 * products (im2col) or Winograd tiles that are three-quarters padding.
 *
 * <p>Determinism: each weight gradient is one fused multiply-add chain over the images in order
 * ({@code VectorGemm}'s contract), whatever the thread count; each output depends on its own image
 * alone, so one image gives the bits it gets in a batch.
 */
final class DenseConv implements ConvEngine {
    private final Kernels kernels;
    private final int filters;
    private final int size;

    /** Whether {@code g} is such a convolution: no padding, and the kernel is the input's size. */
    static boolean supports(ConvGeometry g) {
        return g.padTop() == 0 && g.padLeft() == 0 && g.kh() == g.height() && g.kw() == g.width()
                && g.outH() == 1 && g.outW() == 1;
    }

    DenseConv(Kernels kernels, ConvGeometry g, int filters) {
        if (!supports(g)) {
            throw new IllegalArgumentException("a dense convolution needs an unpadded kernel the size of the input, got "
                    + g);
        }
        this.kernels = kernels;
        this.filters = filters;
        this.size = g.inSize();
    }

    @Override
    public String name() {
        return "dense";
    }

    // forward: x [N, C, H, W] -> y [N, F, 1, 1]
    @Override
    public void forward(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n) {
        Blas.gemm(kernels, false, true, n, filters, size, x, 0, size, kernel, 0, size, 0f, y, 0, filters);
        kernels.addColumnBias(y, 0, n, filters, bias, relu);
    }

    // backward: dy [N, F] -> dx [N, CHW] = dy · kernel; dkernel [F, CHW] = dyᵀ · x; dbias = Σ_n dy
    @Override
    public void backward(float[] x, float[] kernel, float[] y, boolean relu, float[] dy, float[] dx, float[] dKernel,
                         float[] dBias, int n) {
        if (relu) {
            kernels.reluBackward(dy, 0, y, 0, n * filters);
        }
        Blas.gemm(kernels, true, false, filters, size, n, dy, 0, filters, x, 0, size, 0f, dKernel, 0, size);
        Arrays.fill(dBias, 0f);
        kernels.sumColumns(dy, 0, n, filters, dBias);
        if (dx != null) {
            Blas.gemm(kernels, false, false, n, size, filters, dy, 0, filters, kernel, 0, size, 0f, dx, 0, size);
        }
    }
}
