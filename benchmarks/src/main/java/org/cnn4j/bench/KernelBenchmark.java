package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Packing;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.internal.kernels.Tiling;
import org.cnn4j.internal.kernels.VectorKernels;
import org.cnn4j.internal.kernels.Winograd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The non-gemm kernels at the seed CNN's sizes, one image (or all weights) per call, Vector API
 * beside scalar. Scores are calls per second; per-call work is in each method's comment.
 *
 * <p>Run e.g. {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar
 * KernelBenchmark -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class KernelBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    private Kernels kernels;

    /** conv2: 32 channels of 28x28, 5x5 window, 'same' padding: col is [800 x 784]. */
    private final ConvGeometry conv2 = ConvGeometry.of(32, 28, 28, 5, 5, 1, 1, true);
    /** pool1: 32 x 28x28 -> 32 x 14x14, 2x2 stride 2. */
    private final ConvGeometry pool1 = ConvGeometry.of(32, 28, 28, 2, 2, 2, 2, false);
    /** All trainable weights of the seed CNN. */
    private static final int PARAMS = 887_530;

    /** conv2 by F(4x4, 5x5): 7x7 tiles of 8x8 over the padded 28x28 image, and of 4x4 outputs. */
    private final Tiling conv2In = tiling(Winograd.of(4, 5), 28, 2, true);
    private final Tiling conv2Out = tiling(Winograd.of(4, 5), 28, 2, false);
    /** conv4 by F(2x2, 3x3): 7x7 tiles of 4x4 over the padded 14x14 image. */
    private final Tiling conv4In = tiling(Winograd.of(2, 3), 14, 1, true);

    private static Tiling tiling(Winograd w, int size, int pad, boolean input) {
        int tiles = (size + w.m() - 1) / w.m();
        return input
                ? new Tiling(size, size, pad, pad, w.m(), w.alpha(), tiles, tiles, w.alpha(), w.inputTransform())
                : new Tiling(size, size, 0, 0, w.m(), w.m(), tiles, tiles, w.alpha(), w.outputTransform());
    }

    private float[] image, col, dx, pooled, w, g, acc, convOut, bias, dense, denseOut, tiles, packed;
    private int[] argmax;
    private byte[] mask;

    @Setup
    public void setUp() {
        kernels = switch (impl) {
            case "vector" -> new VectorKernels();
            case "scalar" -> new ScalarKernels();
            default -> throw new IllegalArgumentException("impl: " + impl);
        };
        SplittableRandom rnd = new SplittableRandom(7);
        image = random(rnd, conv2.inSize());
        col = random(rnd, conv2.patchSize() * conv2.outPixels());
        dx = new float[conv2.inSize()];
        pooled = new float[pool1.channels() * pool1.outPixels()];
        argmax = new int[pooled.length];
        w = random(rnd, PARAMS);
        g = random(rnd, PARAMS);
        acc = new float[PARAMS];
        convOut = random(rnd, 32 * 784);
        tiles = random(rnd, 64 * 32 * 49 + 64); // 64 positions x 32 planes x 49 tiles, and a vector of slack
        bias = random(rnd, 32);
        packed = new float[32 * 32 * 32]; // conv2's padded 32x32 extent, 32 channels
        dense = random(rnd, 86 * 256);
        denseOut = new float[dense.length];
        mask = new byte[dense.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (rnd.nextInt(2));
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Winograd F(4x4, 5x5) input transform of conv2's 32 input planes (one image): 49 tiles of 8x8 each. */
    @Benchmark
    public float winogradTilesInConv2() {
        for (int c = 0; c < 32; c++) {
            kernels.tilesIn(conv2In, image, c * 784, 0, 7, tiles, c * 49, 32 * 49);
        }
        return tiles[0];
    }

    /** Its output transform with bias and ReLU, 32 planes of 28x28 (one image's forward output). */
    @Benchmark
    public float winogradTilesOutConv2() {
        for (int f = 0; f < 32; f++) {
            kernels.tilesOut(conv2Out, tiles, f * 49, 32 * 49, 0, 7, convOut, f * 784, 0.1f, true, false);
        }
        return convOut[0];
    }

    /** The input gradient's transform: overlapping 8x8 tiles added back into 32 planes (one image). */
    @Benchmark
    public float winogradTilesOutInputGradientConv2() {
        for (int c = 0; c < 32; c++) {
            kernels.tilesOut(conv2In, tiles, c * 49, 32 * 49, 0, 7, dx, c * 784, 0f, false, true);
        }
        return dx[0];
    }

    /**
     * The same input transform in the channel-minor layout (vectors across the 32 channels): the
     * image packed into its 32x32 zero-bordered extent, then 49 tiles of 8x8 transformed.
     */
    @Benchmark
    public float winogradPackedInConv2() {
        Packing.pack(image, 0, 32, 28, 28, -2, 32, -2, 32, packed, 0, 32);
        kernels.tilesInPacked(conv2In, 32, packed, 0, 0, 7, tiles, 0, 49 * 32);
        return tiles[0];
    }

    /** Just the packing of {@link #winogradPackedInConv2}: plain data movement, the same for both implementations. */
    @Benchmark
    public float packConv2() {
        Packing.pack(image, 0, 32, 28, 28, -2, 32, -2, 32, packed, 0, 32);
        return packed[0];
    }

    /** Just the unpacking of {@link #winogradPackedOutConv2}, with bias and ReLU. */
    @Benchmark
    public float unpackConv2() {
        Packing.unpack(packed, 0, 32, 0, 28, 0, 28, convOut, 0, 32, 28, 28, bias, true);
        return convOut[0];
    }

    /** The output transform, channel-minor: 49 tiles of 4x4 outputs, then unpacked with bias and ReLU. */
    @Benchmark
    public float winogradPackedOutConv2() {
        kernels.tilesOutPacked(conv2Out, 32, tiles, 0, 49 * 32, 0, 7, packed, 0, false);
        Packing.unpack(packed, 0, 32, 0, 28, 0, 28, convOut, 0, 32, 28, 28, bias, true);
        return convOut[0];
    }

    /** The input gradient's transform, channel-minor: overlapping 8x8 tiles added up, then unpacked. */
    @Benchmark
    public float winogradPackedInputGradientConv2() {
        java.util.Arrays.fill(packed, 0f);
        kernels.tilesOutPacked(conv2In, 32, tiles, 0, 49 * 32, 0, 7, packed, 0, true);
        Packing.unpack(packed, 0, 32, -2, 32, -2, 32, dx, 0, 32, 28, 28, null, false);
        return dx[0];
    }

    /** F(2x2, 3x3) input transform of conv4's first 32 of 64 input planes of 14x14: 49 tiles of 4x4. */
    @Benchmark
    public float winogradTilesInConv4() {
        for (int c = 0; c < 32; c++) {
            kernels.tilesIn(conv4In, image, c * 196, 0, 7, tiles, c * 49, 32 * 49);
        }
        return tiles[0];
    }

    /** conv2's im2col of one image: writes 627,200 floats. */
    @Benchmark
    public void im2colConv2(Blackhole bh) {
        kernels.im2col(image, 0, conv2, col, 0);
        bh.consume(col);
    }

    /** conv2's col2im of one image: reads 627,200 floats, accumulates into 25,088. */
    @Benchmark
    public void col2imConv2(Blackhole bh) {
        kernels.col2im(col, 0, conv2, dx, 0);
        bh.consume(dx);
    }

    /** pool1 forward of one image: 25,088 inputs to 6,272 outputs and their argmax. */
    @Benchmark
    public void maxPoolPool1(Blackhole bh) {
        kernels.maxPoolForward(image, 0, pool1, pooled, 0, argmax, 0);
        bh.consume(pooled);
        bh.consume(argmax);
    }

    /** One RMSprop step over all 887,530 weights. */
    @Benchmark
    public void rmspropAllWeights(Blackhole bh) {
        kernels.rmsprop(w, g, acc, 0, PARAMS, 1e-9f, 0.9f, 1e-7f, false);
        bh.consume(w);
    }

    /** conv2's bias and ReLU on one image's output, 32 x 784, in place (values stay bounded). */
    @Benchmark
    public void addRowBiasReluConv2(Blackhole bh) {
        kernels.addRowBias(convOut, 0, 32, 784, bias, true);
        bh.consume(convOut);
    }

    /** Dropout on the dense layer's batch output, 86 x 256. */
    @Benchmark
    public void applyMaskDense(Blackhole bh) {
        kernels.applyMask(dense, 0, mask, 0, 2f, denseOut, 0, dense.length);
        bh.consume(denseOut);
    }
}
