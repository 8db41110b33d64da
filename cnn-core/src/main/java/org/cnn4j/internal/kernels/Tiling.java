package org.cnn4j.internal.kernels;

/**
 * How one image plane is cut into the overlapping tiles of a Winograd convolution, and the matrix
 * that transforms each tile.
 *
 * <p>Tile {@code (ty, tx)}, for {@code ty < tilesH}, {@code tx < tilesW}, covers the
 * {@code size x size} cells whose top-left one is plane row {@code ty*step - padTop}, column
 * {@code tx*step - padLeft}; cells outside the {@code height x width} plane are zero. Its transform
 * is {@code T d Tᵀ} with {@code T} = {@link #t()}, {@code n x size}, row-major: {@code n x n}
 * numbers per tile.
 *
 * @param height plane height
 * @param width plane width
 * @param padTop rows of zeros above the plane
 * @param padLeft columns of zeros left of the plane
 * @param step distance between neighbouring tiles (Winograd's m)
 * @param size tile side (alpha for input tiles, m for output tiles)
 * @param tilesH tile rows
 * @param tilesW tiles per row
 * @param n rows of the transform (alpha)
 * @param t the transform, {@code n x size}, row-major
 */
public record Tiling(int height, int width, int padTop, int padLeft, int step, int size, int tilesH, int tilesW,
                     int n, float[] t) {

    /** Checks the shapes. */
    public Tiling {
        if (height < 1 || width < 1 || step < 1 || size < step || tilesH < 1 || tilesW < 1 || n < 1
                || t.length != n * size) {
            throw new IllegalArgumentException("bad tiling");
        }
    }

    /** Tiles in one plane. */
    public int tiles() {
        return tilesH * tilesW;
    }
}
