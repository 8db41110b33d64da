package org.cnn4j.spark;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The models an executor JVM holds, one per distinct model file, found by the SHA-256 of its bytes;
 * and the one place where cnn-spark decides how concurrent tasks share a model.
 *
 * <p><b>The concurrency seam.</b> {@link Sequential#predict} is {@code synchronized} and keeps
 * each layer's activations in the layer, so tasks running at once in one executor cannot share one
 * instance without queueing behind each other. Until cnn-core's thread-safe inference lands,
 * {@link Loaded#predictor()} gives each task thread its own {@code Sequential}, parsed from the
 * cached bytes (a few milliseconds, once per thread: Spark's task threads are pooled and reused).
 * Separate instances share nothing but cnn-core's kernel thread pool, whose jobs run one at a time.
 * When that work lands, {@code Loaded} holds one thread-safe predictor instead and
 * {@code predictor()} returns it: nothing else in this module changes.
 */
final class ExecutorModels {
    // A job scores with one model at a time; a few cover models swapped within one application.
    private static final int MAX_MODELS = 4;
    private static final Map<String, Loaded> MODELS = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > MAX_MODELS;
        }
    };
    private static boolean threadsSet;

    private ExecutorModels() {
    }

    /** What one task calls: class scores for a batch, from a model no other thread is using. */
    @FunctionalInterface
    interface Predictor {
        /** x [N, 1, 28, 28] -> scores [N * classes], row-major. */
        float[] predict(Tensor x);
    }

    /** One model file held by this JVM. */
    static final class Loaded {
        private final byte[] bytes;
        private final ThreadLocal<Sequential> perThread;

        Loaded(byte[] bytes, String source) {
            this.bytes = bytes;
            // Parse once now, so a bad file fails on the first task rather than in every thread.
            Sequential first = parse(bytes, source);
            this.perThread = ThreadLocal.withInitial(() -> parse(this.bytes, source));
            perThread.set(first);
        }

        /** The calling thread's predictor (see the class comment). */
        Predictor predictor() {
            Sequential m = perThread.get();
            return x -> m.predict(x, x.dim(0)).data();
        }
    }

    /**
     * The model whose bytes hash to {@code sha256}, loaded on first use from {@code bytes}
     * (Spark's broadcast variable, fetched only then).
     *
     * @param threads the kernel threads for this JVM; 0 leaves cnn4j's default
     */
    static Loaded get(String sha256, Supplier<byte[]> bytes, int threads) {
        synchronized (MODELS) {
            if (threads > 0 && !threadsSet) {
                // JVM-wide, and set before this JVM's first model predicts anything: the pool must
                // not be swapped under a running job.
                Parallel.setThreads(threads);
                threadsSet = true;
            }
            Loaded m = MODELS.get(sha256);
            if (m == null) {
                byte[] b = bytes.get();
                String actual = sha256(b);
                if (!actual.equals(sha256)) {
                    throw new IllegalStateException("model bytes hash to " + actual + ", expected " + sha256);
                }
                m = new Loaded(b, "model " + sha256.substring(0, 12));
                MODELS.put(sha256, m);
            }
            return m;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Sequential parse(byte[] bytes, String source) {
        try {
            return ModelFile.fromBytes(bytes, source).model();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }
}
