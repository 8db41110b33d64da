package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.internal.kernels.VectorKernels;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Single-threaded sgemm throughput at the seed CNN's shapes (per image, or per batch of 86 for the
 * dense layers) and on square matrices, for the Vector API kernels beside their scalar twin.
 *
 * <p>Reading the results: the primary score is gemm calls per second; one call is
 * {@code 2*m*n*k} floating-point operations, so {@code GFLOP/s = ops/s * 2*m*n*k / 1e9}. The
 * secondary score {@code gflop} does that conversion: with the OPERATIONS aux counter it is reported
 * directly in GFLOP/s. One core of the Zen 4 reference machine peaks at about 119 GFLOP/s
 * (see shared/PERFORMANCE.md).
 *
 * <p>Run e.g. {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar
 * GemmBenchmark -p shape=conv2.fwd,square512 -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GemmBenchmark {

    /**
     * {@code name: transA transB m n k}. conv* are per image (batch handled by the caller):
     * forward {@code W[F x CKK] * col[CKK x P]}, weight gradient {@code dY[F x P] * col^T}, input
     * gradient {@code W^T * dY}. dense* are per batch of 86. wino* are one of the alpha² products of
     * a chunk of packed Winograd tiles.
     */
    @Param({"conv1.fwd", "conv2.fwd", "conv2.wgrad", "conv2.xgrad", "conv3.fwd", "conv4.fwd", "conv4.wgrad",
            "conv4.xgrad", "dense.fwd", "dense.wgrad", "dense.xgrad", "dense2.fwd",
            "wino2.fwd", "wino2.wgrad", "wino4.fwd", "wino4.wgrad", "square256", "square512", "square1024"})
    public String shape;

    @Param({"vector", "scalar"})
    public String impl;

    private Kernels kernels;
    private boolean transA, transB;
    private int m, n, k, lda, ldb, ldc;
    private float[] a, b, c;
    private double gflopPerCall;

    /** GFLOP done, reported per second next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup
    public void setUp() {
        kernels = switch (impl) {
            case "vector" -> new VectorKernels();
            case "scalar" -> new ScalarKernels();
            default -> throw new IllegalArgumentException("impl: " + impl);
        };
        int[] s = switch (shape) {
            // {transA, transB, m, n, k}
            case "conv1.fwd" -> new int[] {0, 0, 32, 784, 25};
            case "conv2.fwd" -> new int[] {0, 0, 32, 784, 800};
            case "conv2.wgrad" -> new int[] {0, 1, 32, 800, 784};
            case "conv2.xgrad" -> new int[] {1, 0, 800, 784, 32};
            case "conv3.fwd" -> new int[] {0, 0, 64, 196, 288};
            case "conv4.fwd" -> new int[] {0, 0, 64, 196, 576};
            case "conv4.wgrad" -> new int[] {0, 1, 64, 576, 196};
            case "conv4.xgrad" -> new int[] {1, 0, 576, 196, 64};
            case "dense.fwd" -> new int[] {0, 0, 86, 256, 3136};
            case "dense.wgrad" -> new int[] {1, 0, 3136, 256, 86};
            case "dense.xgrad" -> new int[] {0, 1, 86, 3136, 256};
            case "dense2.fwd" -> new int[] {0, 0, 86, 10, 256};
            // one position of the packed Winograd products, a chunk of 126 tiles (PackedWinograd):
            // forward and input gradient V[T x C] * U^T[C x F], weight gradient dM^T[F x T] * V[T x C]
            case "wino2.fwd" -> new int[] {0, 0, 126, 32, 32};
            case "wino2.wgrad" -> new int[] {1, 0, 32, 32, 126};
            case "wino4.fwd" -> new int[] {0, 0, 126, 64, 64};
            case "wino4.wgrad" -> new int[] {1, 0, 64, 64, 126};
            case "square256" -> new int[] {0, 0, 256, 256, 256};
            case "square512" -> new int[] {0, 0, 512, 512, 512};
            case "square1024" -> new int[] {0, 0, 1024, 1024, 1024};
            default -> throw new IllegalArgumentException("shape: " + shape);
        };
        transA = s[0] == 1;
        transB = s[1] == 1;
        m = s[2];
        n = s[3];
        k = s[4];
        lda = transA ? m : k;
        ldb = transB ? k : n;
        ldc = n;
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
        gflopPerCall = 2.0 * m * n * k / 1e9;
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** C = op(A) op(B), overwriting C (beta 0), as the forward passes do. */
    @Benchmark
    public void gemm(Flops flops, Blackhole bh) {
        kernels.gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
        flops.gflop += gflopPerCall;
        bh.consume(c);
    }
}
