package org.cnn4j.spark;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Engine;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The models an executor JVM holds, one per distinct model file, found by the SHA-256 of its bytes;
 * and the one place where cnn-spark decides how concurrent tasks share a model.
 *
 * <p><b>The concurrency seam.</b> Each executor parses a model once; the tasks running at once in
 * that JVM share it, because {@link Sequential#predict} is thread-safe: each call borrows an
 * inference copy of the layers over the shared weights, and the same bits come out as from one
 * call after another. cnn-core's kernel pool runs one job at a time, and a task that finds it busy
 * runs its kernels on its own thread, so two tasks use both cores.
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

    /** What one task calls: class scores for a batch. */
    @FunctionalInterface
    interface Predictor {
        /** x [N, 1, 28, 28] -> scores [N * classes], row-major. */
        float[] predict(Tensor x);
    }

    /** One model file held by this JVM. */
    static final class Loaded {
        private final Sequential model;

        Loaded(byte[] bytes, String source) {
            this.model = parse(bytes, source); // once per JVM: a bad file fails on the first task
        }

        /** A predictor for the calling task, over the model every task of this JVM shares. */
        Predictor predictor() {
            return x -> model.predict(x, x.dim(0)).data();
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
                Engine.setThreads(threads);
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
