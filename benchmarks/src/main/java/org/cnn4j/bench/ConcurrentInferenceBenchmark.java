package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.model.Engine;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Predictor;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many callers sharing one model (issue 12): single-image requests from 1, 2 and 16 caller
 * threads through {@link Sequential#predict(Tensor)} (a pooled predictor per call) and through a
 * {@link Predictor} of each thread's own, and batch-1000 inference from one caller for reference.
 * Scores are calls per second summed over the caller threads: images/s = score for the
 * single-image methods, score x 1000 for {@link #batch1000}.
 *
 * <p>Goal on a 2-core machine: {@code predict2} at least 1.3x {@code predict1} and at least 75% of
 * {@code batch1000} x 1000; {@code predict16} no less than {@code predict2}.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ConcurrentInferenceBenchmark -f 1}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConcurrentInferenceBenchmark {
    /** Threads of the kernel pool (default: every core). */
    @Param({"0"})
    public int poolThreads;

    private Sequential model;
    private Tensor xBatch;

    /** Each caller's own image and predictor. */
    @State(Scope.Thread)
    public static class Caller {
        Tensor image;
        Predictor predictor;

        @Setup(Level.Trial)
        public void setUp(ConcurrentInferenceBenchmark b) {
            image = random(new SplittableRandom(Thread.currentThread().threadId()), 1, 1, 28, 28);
            predictor = b.model.predictor();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (poolThreads > 0) {
            Engine.setThreads(poolThreads);
        }
        model = ModelZoo.digitRecognizer(2);
        model.build();
        xBatch = random(new SplittableRandom(1), 1000, 1, 28, 28);
    }

    static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return t;
    }

    /** One caller, one image per call. */
    @Benchmark
    @Threads(1)
    public Tensor predict1(Caller c) {
        return model.predict(c.image);
    }

    /** Two callers, one image per call each. */
    @Benchmark
    @Threads(2)
    public Tensor predict2(Caller c) {
        return model.predict(c.image);
    }

    /** Sixteen callers, one image per call each. */
    @Benchmark
    @Threads(16)
    public Tensor predict16(Caller c) {
        return model.predict(c.image);
    }

    /** Two callers, each with a predictor of its own. */
    @Benchmark
    @Threads(2)
    public Tensor predictor2(Caller c) {
        return c.predictor.predict(c.image);
    }

    /** Sixteen callers, each with a predictor of its own. */
    @Benchmark
    @Threads(16)
    public Tensor predictor16(Caller c) {
        return c.predictor.predict(c.image);
    }

    /** For reference: one caller, 1000 images per call (images/s = score x 1000). */
    @Benchmark
    @Threads(1)
    public Tensor batch1000() {
        return model.predict(xBatch, 1000);
    }
}
