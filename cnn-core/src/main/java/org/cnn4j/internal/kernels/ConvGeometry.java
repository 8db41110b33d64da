package org.cnn4j.internal.kernels;

/**
 * The geometry of one 2-D convolution or pooling window over a single image.
 *
 * <p>Input {@code [channels, height, width]}, window {@code kh x kw}, strides, the zero padding
 * before the first row and column, and the output size. Padding after is implied by the output
 * size (Keras {@code same} puts any odd extra row or column at the bottom and right).
 *
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param kh window height
 * @param kw window width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padTop zero rows above the image
 * @param padLeft zero columns left of the image
 * @param outH output height
 * @param outW output width
 */
public record ConvGeometry(int channels, int height, int width, int kh, int kw, int strideH, int strideW,
                           int padTop, int padLeft, int outH, int outW) {

    /** Rows of the im2col matrix: {@code channels * kh * kw}. */
    public int patchSize() {
        return channels * kh * kw;
    }

    /** Columns of the im2col matrix: {@code outH * outW}. */
    public int outPixels() {
        return outH * outW;
    }

    /** Elements of one input image. */
    public int inSize() {
        return channels * height * width;
    }

    /**
     * Geometry for Keras padding {@code same} ({@code out = ceil(in / stride)}, extra padding after)
     * or {@code valid} ({@code out = (in - k) / stride + 1}, no padding).
     */
    public static ConvGeometry of(int channels, int height, int width, int kh, int kw, int strideH, int strideW,
                                  boolean same) {
        if (channels < 1 || height < 1 || width < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("bad convolution geometry: input " + channels + "x" + height + "x"
                    + width + ", window " + kh + "x" + kw + ", stride " + strideH + "x" + strideW);
        }
        if (same) {
            // ceil(in / stride) without the int overflow of in + stride - 1 (a stride may be any int)
            int oh = (height - 1) / strideH + 1;
            int ow = (width - 1) / strideW + 1;
            int padH = Math.max((oh - 1) * strideH + kh - height, 0);
            int padW = Math.max((ow - 1) * strideW + kw - width, 0);
            return new ConvGeometry(channels, height, width, kh, kw, strideH, strideW, padH / 2, padW / 2, oh, ow);
        }
        if (kh > height || kw > width) {
            throw new IllegalArgumentException("window " + kh + "x" + kw + " is larger than the input "
                    + height + "x" + width + " with padding 'valid'");
        }
        return new ConvGeometry(channels, height, width, kh, kw, strideH, strideW, 0, 0,
                (height - kh) / strideH + 1, (width - kw) / strideW + 1);
    }
}
