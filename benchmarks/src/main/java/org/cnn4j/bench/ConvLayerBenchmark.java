package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.layers.Layer;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
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

/**
 * Each convolution of the seed CNN, forward and backward, on a batch of 86, inside the built model
 * (so each layer sees its real input): {@code conv2d} 1->32 5x5 at 28x28, {@code conv2d_1}
 * 32->32 5x5 at 28x28 (62% of the FLOPs), {@code conv2d_2} 32->64 3x3 at 14x14, {@code conv2d_3}
 * 64->64 3x3 at 14x14. Scores are batches per second.
 *
 * <p>Run with {@code -p threads=1} for per-core cost that the machine's load disturbs less, and
 * {@code -p algorithm=im2col} for the convolutions without Winograd. {@code -p kernels=scalar}
 * runs the same layers on the scalar twins of the kernels (slow: seconds per batch).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvLayerBenchmark {
    @Param({"conv2d", "conv2d_1", "conv2d_2", "conv2d_3"})
    public String layer;

    @Param({"2"})
    public int threads;

    /** {@code auto} (Winograd where it pays) or {@code im2col}. */
    @Param({"auto"})
    public String algorithm;

    /** {@code vector} or {@code scalar}: the kernels, chosen once per forked JVM. */
    @Param({"vector"})
    public String kernels;

    private Layer conv;
    private Tensor input;
    private Tensor dy;

    @Setup(Level.Trial)
    public void setUp() {
        // read once, when the first layer is built: each parameter combination runs in a fresh fork
        System.setProperty("cnn4j.conv", algorithm);
        System.setProperty("cnn4j.vector", Boolean.toString(!kernels.equals("scalar")));
        Parallel.setThreads(threads);
        Sequential model = ModelZoo.digitRecognizer(2);
        model.build();
        SplittableRandom r = new SplittableRandom(1);
        Tensor t = Tensor.zeros(86, 1, 28, 28);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextDouble();
        }
        for (Layer l : model.layers()) {
            if (l.name().equals(layer)) {
                conv = l;
                input = t;
                break;
            }
            t = l.forward(t, true);
        }
        Tensor out = conv.forward(input, true);
        dy = Tensor.zeros(out.shape());
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = (float) (r.nextDouble() - 0.5) * 0.01f;
        }
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward(input, true);
    }

    /** Weight, bias and (except for the first layer) input gradients; relu backward masks dy in place, idempotently. */
    @Benchmark
    public Tensor backward() {
        return conv.backward(dy);
    }
}
