package org.cnn4j.internal.conv;

/**
 * A convolution engine that can give, instead of its output, the output's 2x2 max pooling (stride
 * 2, valid), without ever writing the full output: for inference, where nothing else reads it.
 * The pooled values have the bits that the engine's {@link ConvEngine#forward} followed by
 * {@code Kernels.maxPoolForward} give, because bias, ReLU and maximum are exact float operations
 * applied to the same numbers.
 */
public interface PoolingConv {
    /**
     * Whether {@link #forwardPooled} runs for this engine's geometry: its output tiles must hold
     * whole pooling windows, and both output sides be even.
     *
     * @return true if it runs
     */
    boolean pools2x2();

    // forward, pooled: x [N, C, H, W] -> y [N, F, OH/2, OW/2] = maxpool2x2(relu?(conv(x, kernel) + bias))
    /**
     * The forward pass of {@code n} images, pooled. Only when {@link #pools2x2()}.
     *
     * @param x the input
     * @param kernel the kernel
     * @param bias the bias
     * @param relu whether to apply a ReLU before pooling
     * @param y the pooled output, overwritten
     * @param n the batch size
     */
    void forwardPooled(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n);
}
