package org.cnn4j.internal.conv;

/**
 * A batch of activations kept channel-minor between two convolutions of an inference plan (as ONNX
 * Runtime's blocked NCHWc layout), so that one convolution does not unpack its output to planes
 * and the next pack it back: each image is {@code rows x cols} cells of {@code cp} floats, cell
 * {@code (r, q)} holding plane cell {@code (r - top, q - left)} with its channels side by side.
 * Cells outside the plane are zero (the next convolution's padding and the overrun of its tiles);
 * channels from the real count up to {@code cp} only pad the vectors and are never read by a product.
 *
 * @param rows cell rows per image
 * @param cols cell columns per image
 * @param cp floats per cell, a multiple of the vector length
 * @param top cell rows above the plane
 * @param left cell columns left of the plane
 */
public record CellLayout(int rows, int cols, int cp, int top, int left) {
    /**
     * Floats per image.
     *
     * @return {@code rows * cols * cp}
     */
    public int imageFloats() {
        return rows * cols * cp;
    }

    /**
     * Whether a {@code height x width} plane fits inside, after the top rows and left columns.
     *
     * @param height the plane's rows
     * @param width the plane's columns
     * @return true if it fits
     */
    public boolean holds(int height, int width) {
        return top >= 0 && left >= 0 && top + height <= rows && left + width <= cols;
    }
}
