package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads predicting on one model get, bit for bit, what the same calls give one after
 * another; they run side by side (the pool runs a busy caller's tasks on its own thread instead of
 * queueing it); and a model trained while others predict never shows a call half-updated weights.
 */
class ConcurrentInferenceTest {
    private static final int THREADS = 16;

    private static Tensor images(int n, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.uniform(0, 1);
        }
        return x;
    }

    private static Tensor image(Tensor all, int i) {
        Tensor one = Tensor.zeros(1, 1, 28, 28);
        System.arraycopy(all.data(), i * 784, one.data(), 0, 784);
        return one;
    }

    private static Sequential trained() {
        Sequential m = ModelZoo.digitRecognizer(4);
        TensorDataset d = SequentialTest.synthetic(16, 3);
        m.fit(d, new FitOptions().batchSize(8).epochs(1).verbose(0));
        return m;
    }

    @Test
    void sixteenThreadsGetTheSequentialBits() throws Exception {
        Sequential m = trained();
        Tensor all = images(12, 1);
        // the references, one call after another
        List<Tensor> single = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            single.add(m.predict(image(all, i)));
        }
        Tensor whole = m.predict(all, 5);
        TensorDataset labelled = new TensorDataset(all, TensorDataset.oneHot(new int[12], 10));
        Evaluation reference = m.evaluate(labelled, 5);
        long inlineBefore = Parallel.inlineJobs();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                start.await();
                Predictor own = m.predictor();
                int checked = 0;
                for (int call = 0; call < 12; call++) {
                    int i = (id * 5 + call) % 12;
                    Tensor got = call % 3 == 2 ? own.predict(image(all, i)) : m.predict(image(all, i));
                    assertThat(got.data()).as("thread %d image %d", id, i).isEqualTo(single.get(i).data());
                    checked++;
                    if (call % 4 == 0) {
                        assertThat(m.predict(all, 5).data()).isEqualTo(whole.data());
                        checked++;
                    }
                    if (call == 5) {
                        Evaluation e = m.evaluate(labelled, 5);
                        assertThat(e.loss()).isEqualTo(reference.loss());
                        assertThat(e.predicted()).isEqualTo(reference.predicted());
                        checked++;
                    }
                }
                return checked;
            }));
        }
        start.countDown();
        int checked = 0;
        for (Future<Integer> f : futures) {
            checked += f.get();
        }
        pool.shutdown();
        assertThat(checked).isEqualTo(THREADS * 16);
        if (Parallel.threads() > 1) {
            assertThat(Parallel.inlineJobs()).as("callers ran beside the pool, not behind it").isGreaterThan(inlineBefore);
        }
    }

    @Test
    void predictionsAreTheSameBitsForOneOrTwoPoolThreads() {
        Sequential m = trained();
        Tensor x = images(5, 2);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor one = m.predict(x);
            Tensor single = m.predict(image(x, 3));
            Parallel.setThreads(2);
            assertThat(m.predict(x).data()).isEqualTo(one.data());
            assertThat(m.predictor().predict(image(x, 3)).data()).isEqualTo(single.data());
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ownPredictorsAndPooledOnesWithTrainingStepsBetweenThemDoNotDeadlock() throws Exception {
        // A caller's own predictor took the weights' read lock and then waited for admission
        // (Parallel#call), while Sequential#predict's admitted callers waited for the read lock
        // behind a queued training step (the lock is fair), and that step waited for the first
        // caller's read lock: all stuck (seen once in CI under load). Both paths must take
        // admission first. Many short calls of both kinds around many short training steps.
        Sequential m = trained();
        Tensor x = images(1, 4);
        Tensor y = Tensor.zeros(1, 10);
        y.data()[3] = 1;
        AtomicBoolean training = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(7);
        List<Future<Integer>> callers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            boolean own = t % 2 == 0;
            callers.add(pool.submit(() -> {
                Predictor p = m.predictor();
                int calls = 0;
                while (training.get() || calls == 0) {
                    assertThat((own ? p.predict(x, 1) : m.predict(x, 1)).data()).hasSize(10);
                    calls++;
                }
                return calls;
            }));
        }
        Future<?> trainer = pool.submit(() -> {
            try {
                for (int step = 0; step < 400; step++) {
                    m.trainOnBatch(x, y, null);
                }
            } finally {
                training.set(false);
            }
            return null;
        });
        trainer.get();
        for (Future<Integer> f : callers) {
            assertThat(f.get()).isPositive(); // and a failed prediction is rethrown here
        }
        pool.shutdown();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void trainingWhileOthersPredictNeverShowsHalfUpdatedWeights() throws Exception {
        Sequential m = trained();
        Tensor same = Tensor.zeros(4, 1, 28, 28);
        Tensor one = images(1, 9);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(one.data(), 0, same.data(), i * 784, 784);
        }
        Tensor before = m.predict(one);
        TensorDataset d = SequentialTest.synthetic(16, 5);
        AtomicBoolean training = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            readers.add(pool.submit(() -> {
                int calls = 0;
                while (training.get() || calls == 0) {
                    // four forward passes of one image in one call: one set of weights for all four
                    Tensor out = (calls % 2 == 0 ? m.predict(same, 1) : m.predictor().predict(same, 1));
                    for (int i = 1; i < 4; i++) {
                        for (int k = 0; k < 10; k++) {
                            assertThat(out.data()[i * 10 + k]).as("call %d row %d", calls, i).isEqualTo(out.data()[k]);
                        }
                    }
                    calls++;
                }
                return calls;
            }));
        }
        Future<?> trainer = pool.submit(() -> {
            try {
                m.fit(d, new FitOptions().batchSize(4).epochs(1).verbose(0));
            } finally {
                training.set(false);
            }
            return null;
        });
        trainer.get();
        for (Future<Integer> f : readers) {
            assertThat(f.get()).isPositive();
        }
        pool.shutdown();
        Tensor after = m.predict(one);
        assertThat(after.data()).as("the trained weights are seen").isNotEqualTo(before.data());
        assertThat(m.predictor().predict(one).data()).isEqualTo(after.data());
    }
}
