package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.cnn4j.kernels.ConvGeometry;
import org.cnn4j.kernels.Kernels;
import org.cnn4j.kernels.ScalarKernels;
import org.cnn4j.kernels.VectorKernels;
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

    private float[] image, col, dx, pooled, w, g, acc, convOut, bias, dense, denseOut;
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
        bias = random(rnd, 32);
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
