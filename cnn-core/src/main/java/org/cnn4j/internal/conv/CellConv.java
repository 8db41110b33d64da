package org.cnn4j.internal.conv;

/**
 * A convolution engine whose inference forward pass can read its input from, and write its output
 * (or the output's 2x2 max pooling) to, channel-minor cells ({@link CellLayout}) instead of planes,
 * so that consecutive convolutions of an inference plan hand activations over without unpacking
 * and packing them. The numbers are the ones the planar pass computes, in the same order: the
 * cells hold what packing the planes would give, so the bits are the same.
 */
public interface CellConv extends PoolingConv {
    /**
     * The cells this engine reads its input from: whole images, padded as its tiles need.
     *
     * @return the input layout
     */
    CellLayout inputCells();

    /**
     * Whether {@link #forwardCells} can write its output, pooled or not, to {@code cells}: the same
     * floats per cell and room for the plane.
     *
     * @param cells the layout the next convolution reads
     * @param pooled whether the output is pooled 2x2
     * @return true if it can
     */
    boolean writes(CellLayout cells, boolean pooled);

    // inference forward: x [N, C, H, W] or cells -> y = (maxpool2x2?)(relu?(conv(x) + bias)), [N, F, OH, OW] or cells
    /**
     * The forward pass of {@code n} images from planes or cells to planes or cells. Cells of
     * {@code y} outside the output plane are not written: a buffer that starts zeroed keeps them zero.
     *
     * @param x the input: planes {@code [N, C, H, W]}, or cells in {@link #inputCells()} when {@code xCells}
     * @param xOff where the first image starts in {@code x}
     * @param xCells whether {@code x} holds cells
     * @param kernel the kernel
     * @param bias the bias, {@code F} floats
     * @param relu whether to apply a ReLU
     * @param pooled whether to give the output's 2x2 max pooling (only when {@link #pools2x2()})
     * @param y the output, planes or cells in {@code yCells}
     * @param yOff where the first image starts in {@code y}
     * @param yCells the output's cells, or null for planes
     * @param n the batch size
     * @throws IllegalArgumentException if {@code yCells} is not one {@link #writes} accepts
     */
    void forwardCells(float[] x, int xOff, boolean xCells, float[] kernel, float[] bias, boolean relu, boolean pooled,
                      float[] y, int yOff, CellLayout yCells, int n);
}
