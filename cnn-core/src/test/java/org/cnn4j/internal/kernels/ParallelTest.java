package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool: every task exactly once, job after job, errors passed on, no allocation per call. */
class ParallelTest {
    private int before;

    @BeforeEach
    void remember() {
        before = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyTaskRunsExactlyOnceInJobAfterJob() {
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            // Back-to-back jobs of changing sizes: a worker late from one job must not run a
            // task of the next, nor one of its own job twice.
            AtomicIntegerArray runs = new AtomicIntegerArray(64);
            for (int job = 0; job < 20_000; job++) {
                int tasks = 1 + job % 63;
                int stamp = job;
                int[] seen = new int[tasks];
                Parallel.forEach(tasks, (t, w) -> {
                    seen[t] = stamp + 1;
                    runs.incrementAndGet(t);
                });
                for (int t = 0; t < tasks; t++) {
                    assertThat(seen[t]).as("job %d task %d", job, t).isEqualTo(job + 1);
                }
            }
            int total = 0;
            for (int t = 0; t < 64; t++) {
                total += runs.get(t);
            }
            int expected = 0;
            for (int job = 0; job < 20_000; job++) {
                expected += 1 + job % 63;
            }
            assertThat(total).isEqualTo(expected);
        }
    }

    @Test
    void aTaskErrorIsRethrownAndThePoolGoesOn() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forEach(10, (t, w) -> {
            if (t == 7) {
                throw new IllegalStateException("task 7");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("task 7");
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        Parallel.forEach(10, (t, w) -> runs.incrementAndGet(t));
        for (int t = 0; t < 10; t++) {
            assertThat(runs.get(t)).isEqualTo(1);
        }
    }

    private static final float[] SINK = new float[64];
    private static final Parallel.Body BODY = (t, w) -> SINK[t] += 1f;

    @Test
    void aCallWithAReusedBodyAllocatesNothing() {
        Parallel.setThreads(2);
        for (int i = 0; i < 50_000; i++) {
            Parallel.forEach(16, BODY);
        }
        long start = AllocatedBytes.current();
        for (int i = 0; i < 10_000; i++) {
            Parallel.forEach(16, BODY);
        }
        long perCall = (AllocatedBytes.current() - start) / 10_000;
        // The job object, its counters and a lambda used to cost ~100 bytes per call.
        assertThat(perCall).isLessThan(8);
    }

    @Test
    void aTaskThatCallsForEachFailsInsteadOfCorruptingTheJob() {
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try {
            // task 0 runs on the calling thread, the others on the worker: both must refuse to nest
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Parallel.forEach(4, (t, w) -> Parallel.forEach(2, (a, b) -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a task");
            int[] count = new int[1];
            Parallel.forEach(8, (t, w) -> {
                synchronized (count) {
                    count[0]++;
                }
            });
            org.assertj.core.api.Assertions.assertThat(count[0]).as("the pool still works").isEqualTo(8);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
