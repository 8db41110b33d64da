package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three identities {@code docs/backprop.md} states about Conv2D's backward pass, checked on
 * the real layer and kernels:
 * <ol>
 * <li>col2im is the adjoint (transpose) of im2col: {@code <im2col(x), c> = <x, col2im(c)>};</li>
 * <li>the input gradient equals a plain stride-1 'valid' convolution, run by Conv2D itself, of the
 * zero-dilated and zero-padded output gradient with the flipped, channel-swapped kernel;</li>
 * <li>the kernel gradient equals {@code dW[f,c,u,v] = Σ dy[n,f,i,j] · x[n,c,i·s+u-pt, j·s+v-pl]}.</li>
 * </ol>
 */
class ConvBackwardIdentitiesTest {
    static final int N = 2;
    static final int C = 2;
    static final int F = 3;
    static final int H = 5;
    static final int W = 6;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(3, 3, 1, Padding.VALID),
                Arguments.of(3, 3, 1, Padding.SAME),
                Arguments.of(3, 2, 2, Padding.VALID),
                Arguments.of(2, 3, 2, Padding.SAME),
                Arguments.of(5, 5, 1, Padding.SAME));
    }

    static float[] random(long seed, int n) {
        Rng r = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.uniform(-1, 1);
        }
        return a;
    }

    @ParameterizedTest(name = "{0}x{1} stride {2} {3}")
    @MethodSource("cases")
    void col2imIsTheAdjointOfIm2col(int kh, int kw, int stride, Padding padding) {
        ConvGeometry g = ConvGeometry.of(C, H, W, kh, kw, stride, stride, padding == Padding.SAME);
        Kernels k = Kernels.get();
        float[] x = random(1, g.inSize());
        float[] c = random(2, g.patchSize() * g.outPixels());
        float[] col = new float[c.length];
        k.im2col(x, 0, g, col, 0);
        float[] back = new float[x.length];
        k.col2im(c, 0, g, back, 0);
        assertThat(dot(col, c)).isCloseTo(dot(x, back), within(1e-9 + 1e-5 * Math.abs(dot(col, c))));
    }

    @ParameterizedTest(name = "{0}x{1} stride {2} {3}")
    @MethodSource("cases")
    void inputGradientIsAFullCorrelationWithTheFlippedKernel(int kh, int kw, int stride, Padding padding) {
        Conv2D conv = new Conv2D(F, kh, kw).strides(stride).padding(padding);
        int[] out = conv.build(new int[] {C, H, W}, new Rng(3));
        ConvGeometry g = ConvGeometry.of(C, H, W, kh, kw, stride, stride, padding == Padding.SAME); // as the layer's
        int oh = out[1], ow = out[2];
        float[] kernel = conv.params().get(0).value().data(); // [F, C, kh, kw]
        Tensor x = Tensor.wrap(random(4, N * C * H * W), N, C, H, W);
        conv.forward(x, true);
        float[] dyData = random(5, N * F * oh * ow);
        float[] dx = conv.backward(Tensor.wrap(dyData.clone(), N, F, oh, ow)).data().clone();

        // dilate dy by the stride and pad it: kh-1-padTop rows above, kw-1-padLeft columns left,
        // and enough below and right that a 'valid' kh x kw correlation gives back H x W
        int ph = H + kh - 1, pw = W + kw - 1;
        int top = kh - 1 - g.padTop(), left = kw - 1 - g.padLeft();
        Tensor padded = Tensor.zeros(N, F, ph, pw);
        for (int n = 0; n < N; n++) {
            for (int f = 0; f < F; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        padded.data()[((n * F + f) * ph + top + i * stride) * pw + left + j * stride] =
                                dyData[((n * F + f) * oh + i) * ow + j];
                    }
                }
            }
        }
        // the flipped kernel with input and output channels swapped: [C, F, kh, kw]
        Conv2D full = new Conv2D(C, kh, kw);
        full.build(new int[] {F, ph, pw}, new Rng(0));
        float[] flipped = full.params().get(0).value().data();
        for (int c = 0; c < C; c++) {
            for (int f = 0; f < F; f++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        flipped[((c * F + f) * kh + u) * kw + v] =
                                kernel[((f * C + c) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)];
                    }
                }
            }
        }
        float[] viaFullConvolution = full.forward(padded, false).data();
        assertThat(viaFullConvolution).hasSize(dx.length);
        for (int i = 0; i < dx.length; i++) {
            assertThat(viaFullConvolution[i]).as("dx[%d]", i).isCloseTo(dx[i], within(1e-5f));
        }
    }

    @ParameterizedTest(name = "{0}x{1} stride {2} {3}")
    @MethodSource("cases")
    void kernelGradientIsDyTimesColTransposed(int kh, int kw, int stride, Padding padding) {
        Conv2D conv = new Conv2D(F, kh, kw).strides(stride).padding(padding);
        int[] out = conv.build(new int[] {C, H, W}, new Rng(3));
        ConvGeometry g = ConvGeometry.of(C, H, W, kh, kw, stride, stride, padding == Padding.SAME); // as the layer's
        int oh = out[1], ow = out[2];
        float[] xs = random(6, N * C * H * W);
        conv.forward(Tensor.wrap(xs, N, C, H, W), true);
        float[] dy = random(7, N * F * oh * ow);
        conv.backward(Tensor.wrap(dy.clone(), N, F, oh, ow));
        float[] dW = conv.params().get(0).grad().data();
        float[] db = conv.params().get(1).grad().data();
        for (int f = 0; f < F; f++) {
            double bias = 0;
            for (int n = 0; n < N; n++) {
                for (int q = 0; q < oh * ow; q++) {
                    bias += dy[(n * F + f) * oh * ow + q];
                }
            }
            assertThat((double) db[f]).isCloseTo(bias, within(1e-5));
            for (int c = 0; c < C; c++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        double s = 0;
                        for (int n = 0; n < N; n++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int r = i * stride + u - g.padTop(), cc = j * stride + v - g.padLeft();
                                    if (r >= 0 && r < H && cc >= 0 && cc < W) {
                                        s += (double) dy[((n * F + f) * oh + i) * ow + j]
                                                * xs[((n * C + c) * H + r) * W + cc];
                                    }
                                }
                            }
                        }
                        assertThat((double) dW[((f * C + c) * kh + u) * kw + v]).isCloseTo(s, within(1e-5));
                    }
                }
            }
        }
    }

    /** The 1-D example of the page: x = [x0, x1, x2], k = [k0, k1], valid. */
    @Test
    void oneDimensionalExampleOfThePage() {
        Conv2D conv = new Conv2D(1, 1, 2);
        conv.build(new int[] {1, 1, 3}, new Rng(0));
        System.arraycopy(new float[] {2f, 3f}, 0, conv.params().get(0).value().data(), 0, 2);
        conv.forward(Tensor.wrap(new float[] {1f, 1f, 1f}, 1, 1, 1, 3), true);
        // dx = [k0*dy0, k1*dy0 + k0*dy1, k1*dy1] with dy = [10, 100]
        float[] dx = conv.backward(Tensor.wrap(new float[] {10f, 100f}, 1, 1, 1, 2)).data();
        assertThat(dx).containsExactly(20f, 30f + 200f, 300f);
    }

    /** The 3x3 example that opens the page's Conv2D section: one image, one channel, one 2x2 filter. */
    @Test
    void smallTwoDimensionalExampleOfThePage() {
        Conv2D conv = new Conv2D(1, 2, 2);
        conv.build(new int[] {1, 3, 3}, new Rng(0));
        System.arraycopy(new float[] {1f, -1f, 2f, 0f}, 0, conv.params().get(0).value().data(), 0, 4);
        conv.params().get(1).value().data()[0] = 0f;
        float[] y = conv.forward(Tensor.wrap(new float[] {1, 2, 0, 0, 1, 3, 2, 1, 1}, 1, 1, 3, 3), true).data();
        assertThat(y).containsExactly(-1f, 4f, 3f, 0f);
        float[] dx = conv.backward(Tensor.wrap(new float[] {1, 2, 0, -1}, 1, 1, 2, 2)).data();
        assertThat(conv.params().get(0).grad().data()).containsExactly(4f, -1f, 1f, 6f);
        assertThat(conv.params().get(1).grad().data()).containsExactly(2f);
        assertThat(dx).containsExactly(1f, 1f, -2f, 2f, 3f, 1f, 0f, -2f, 0f);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
