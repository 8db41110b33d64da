package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A caller that finds the pool busy runs its own tasks on its own thread instead of queueing. */
class ParallelBusyTest {

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // queueing behind the first would hang
    void aSecondCallerDoesNotWaitForTheFirst() throws Exception {
        int threads = Parallel.threads();
        Parallel.setThreads(2);
        try {
            CountDownLatch firstRunning = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread first = new Thread(() -> {
                try {
                    Parallel.forEach(2, (t, w) -> {
                        firstRunning.countDown();
                        try {
                            release.await(); // holds the pool until the second caller is done
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            first.setDaemon(true);
            first.start();
            assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();

            long inline = Parallel.inlineJobs();
            int[] out = new int[5];
            int[] workers = new int[5];
            Parallel.forEach(5, (t, w) -> {
                out[t] = t * t;
                workers[t] = w;
            });
            // we got here while the first job still holds the pool: the tasks ran on this thread
            assertThat(out).containsExactly(0, 1, 4, 9, 16);
            assertThat(workers).containsOnly(0);
            assertThat(Parallel.inlineJobs()).isEqualTo(inline + 1);

            release.countDown();
            first.join(30_000);
            assertThat(failure.get()).isNull();
        } finally {
            Parallel.setThreads(threads);
        }
    }
}
