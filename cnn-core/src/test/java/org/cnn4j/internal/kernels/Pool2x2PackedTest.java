package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kernels#pool2x2Packed}, the pooling a convolution does in its output for inference: the
 * vector kernel against its scalar twin, and both against what they stand for, unpacking the
 * cells with bias and ReLU ({@link Packing#unpack}) and then max pooling them
 * ({@link Kernels#maxPoolForward}), bit for bit. The cells include ties, signed zeros and NaNs,
 * where the order of the pooling's comparisons decides the bits.
 */
class Pool2x2PackedTest {
    private static final int L = VectorGemm.L;
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    private final SplittableRandom rnd = new SplittableRandom(18);

    @ParameterizedTest(name = "{0} channels in {1} lanes, {2}x{3} cells, relu {4}")
    @CsvSource({
        "5, 1, 4, 6, true", "5, 1, 2, 2, false", "21, 2, 8, 28, true", "33, 3, 6, 14, false",
        "13, 1, 28, 28, true", "64, 4, 4, 14, true", "7, 0, 4, 4, true"})
    void vectorScalarAndUnpackThenPoolAgreeBitForBit(int channels, int vectors, int rows, int cols, boolean relu) {
        // cp: whole vectors (the vector path; as many as the channels need at 8 lanes), or 8 lanes that a
        // 16-lane vector does not fill (its fallback)
        int cp = vectors > 0 ? Math.max(vectors, (channels + L - 1) / L) * L : 8, off = 3;
        float[] src = new float[off + rows * cols * cp + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = cell();
        }
        float[] bias = new float[cp]; // zero beyond the channels, as the caller pads it
        for (int c = 0; c < channels; c++) {
            bias[c] = rnd.nextInt(4) == 0 ? -0f : (float) rnd.nextDouble(-0.5, 0.5);
        }
        int pooled = rows / 2 * (cols / 2) * cp;
        float[] vector = new float[off + pooled + 1];
        float[] scalar = new float[off + pooled + 1];
        VECTOR.pool2x2Packed(src, off, cp, rows, cols, bias, relu, vector, off);
        SCALAR.pool2x2Packed(src, off, cp, rows, cols, bias, relu, scalar, off);
        assertThat(vector).as("vector against scalar").isEqualTo(scalar);
        assertThat(vector[off + pooled]).as("nothing written past the pooled cells").isZero();

        // what it stands for: the full output [C, rows, cols] with bias and ReLU, then 2x2 pooling
        float[] full = new float[cp * rows * cols];
        Packing.unpack(src, off, cp, 0, rows, 0, cols, full, 0, cp, rows, cols, bias, relu);
        ConvGeometry g = ConvGeometry.of(cp, rows, cols, 2, 2, 2, 2, false);
        float[] planes = new float[pooled];
        SCALAR.maxPoolForward(full, 0, g, planes, 0, new int[planes.length], 0);
        float[] repacked = new float[pooled];
        Packing.pack(planes, 0, cp, rows / 2, cols / 2, 0, rows / 2, 0, cols / 2, repacked, 0, cp);
        float[] got = java.util.Arrays.copyOfRange(vector, off, off + pooled);
        assertThat(got).as("pooled against unpacked then pooled").isEqualTo(repacked);
    }

    /** Mostly ordinary values, with ties, both zeros, NaN and infinities mixed in. */
    private float cell() {
        return switch (rnd.nextInt(20)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(0x7fc00123); // another NaN: which one wins shows in the bits
            case 2 -> 0f;
            case 3 -> -0f;
            case 4 -> 0.25f; // ties
            case 5 -> Float.NEGATIVE_INFINITY;
            default -> (float) rnd.nextDouble(-2, 2);
        };
    }
}
