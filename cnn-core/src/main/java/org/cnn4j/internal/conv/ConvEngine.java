package org.cnn4j.internal.conv;

/**
 * One way of computing a 2-D convolution with fused bias and optional ReLU, for one geometry and
 * filter count fixed when the engine is made. Engines keep scratch buffers and cached transforms
 * between calls, so an engine serves one caller at a time. Every argument of a pass is a
 * parameter; nothing is read from fields set beforehand.
 *
 * <p>Shapes: {@code x [N, C, H, W]}, {@code kernel [F, C, KH, KW]}, {@code bias [F]},
 * {@code y [N, F, OH, OW]}.
 */
public interface ConvEngine {
    /**
     * Images per partial weight gradient (Winograd takes more on small images, enough for 64
     * tiles: {@code WinogradConv.gradBlock}). Fixed by the geometry, so that the sum order of a
     * weight gradient never depends on the thread count: each block's partial is summed alone, then the partials are
     * added in block order ({@link GradientBlocks}).
     */
    int GRAD_BLOCK = 4;

    /**
     * The algorithm, for reports.
     *
     * @return e.g. {@code "im2col"} or {@code "winograd F(4x4, 5x5)"}
     */
    String name();

    // forward: x [N, C, H, W] -> y [N, F, OH, OW] = relu?(conv(x, kernel) + bias)
    /**
     * The forward pass of {@code n} images.
     *
     * @param x the input
     * @param kernel the kernel
     * @param bias the bias
     * @param relu whether to apply a ReLU to the output
     * @param y the output, overwritten
     * @param n the batch size
     */
    void forward(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n);

    // backward: dy [N, F, OH, OW] -> dx [N, C, H, W], dkernel, dbias
    /**
     * The backward pass of the last forward pass's {@code n} images.
     *
     * @param x the input of the forward pass
     * @param kernel the kernel of the forward pass
     * @param y the output of the forward pass (for the ReLU's derivative)
     * @param relu whether the forward pass applied a ReLU
     * @param dy the output gradient; the ReLU's derivative is applied to it in place
     * @param dx the input gradient, overwritten, or null when nobody needs it
     * @param dKernel the kernel gradient, overwritten
     * @param dBias the bias gradient, overwritten
     * @param n the batch size
     */
    void backward(float[] x, float[] kernel, float[] y, boolean relu, float[] dy, float[] dx, float[] dKernel,
                  float[] dBias, int n);
}
