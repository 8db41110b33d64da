package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.internal.kernels.Parallel;
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
 * The seed CNN ({@link ModelZoo#digitRecognizer}) end to end: one training step on a batch of 86
 * (the bench command's batch), inference on a batch of 1000, and the latency of one image.
 * Scores are calls per second: images/s = score x 86 (train) or x 1000 (inference).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ModelBenchmark -f 1 -prof gc} shows the
 * allocation per training step ({@code gc.alloc.rate.norm}, bytes/op). The {@code *Scalar}
 * methods run the same thing with the scalar kernels ({@code -Dcnn4j.vector=false}); they take
 * seconds per call.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ModelBenchmark {
    /** Threads of the kernel pool (the bench command uses all cores). */
    @Param({"2"})
    public int threads;

    private Sequential model;
    private Tensor x;
    private Tensor y;
    private Tensor xInfer;
    private Tensor xOne;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        model = ModelZoo.digitRecognizer(2);
        model.build();
        SplittableRandom r = new SplittableRandom(1);
        x = random(r, 86, 1, 28, 28);
        y = Tensor.zeros(86, 10);
        for (int i = 0; i < 86; i++) {
            y.data()[i * 10 + r.nextInt(10)] = 1f;
        }
        xInfer = random(r, 1000, 1, 28, 28);
        xOne = random(r, 1, 1, 28, 28);
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return t;
    }

    /** One forward + backward + RMSprop step on 86 images (about 16.7 GFLOP). */
    @Benchmark
    public double trainStep() {
        return model.trainOnBatch(x, y, null);
    }

    /** Class probabilities of 1000 images in one batch. */
    @Benchmark
    public Tensor inferBatch1000() {
        return model.predict(xInfer, 1000);
    }

    /** Class probabilities of one image: latency = 1 / score. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Tensor inferOne() {
        return model.predict(xOne, 1);
    }

    /** {@link #trainStep} on the scalar kernels. */
    @Benchmark
    @Warmup(iterations = 1, time = 5)
    @Measurement(iterations = 2, time = 10)
    @Fork(value = 1, jvmArgsAppend = {"-Dcnn4j.vector=false"})
    public double trainStepScalar() {
        return model.trainOnBatch(x, y, null);
    }
}
