package org.cnn4j.mnist.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that requests may hold at once, counted in MiB. A request leases what its body and its
 * decoding may take before it reads or decodes anything; one that cannot get its lease in time is
 * answered 503. Without it, enough large images at once (64 threads, 64 photos) ran the heap out,
 * and an OutOfMemoryError fails whichever request allocates next, a small one as likely as the
 * large ones, or the server's own threads.
 */
final class HeapBudget {
    private final Semaphore mib;
    private final int total;
    private final long waitMillis;

    /**
     * A budget of {@code bytes}.
     *
     * @param bytes the heap requests may hold at once (at least 1 MiB is kept)
     * @param waitMillis how long a request waits for its lease before it is refused
     */
    HeapBudget(long bytes, long waitMillis) {
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes >> 20));
        this.mib = new Semaphore(total, true); // fair: a large request is not starved by a stream of small ones
        this.waitMillis = waitMillis;
    }

    /**
     * Half of the JVM's maximum heap: the other half is the model, its activations, the server and
     * the collector's headroom.
     *
     * @param waitMillis how long a request waits for its lease
     * @return the budget
     */
    static HeapBudget halfTheHeap(long waitMillis) {
        return new HeapBudget(Runtime.getRuntime().maxMemory() / 2, waitMillis);
    }

    /** A lease of heap, given back by {@link #close}. */
    final class Lease implements AutoCloseable {
        private int held;

        private Lease(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            mib.release(held);
            held = 0;
        }
    }

    /**
     * Leases {@code bytes}, rounded up to whole MiB and cut to the whole budget (so that any one
     * request can run alone), waiting for them at most the budget's wait.
     *
     * @param bytes what the request may hold
     * @return the lease, or null when the heap was not free in time
     * @throws InterruptedException if the thread is interrupted while it waits (the server is stopping)
     */
    Lease lease(long bytes) throws InterruptedException {
        long rounded = (bytes >>> 20) + ((bytes & ((1 << 20) - 1)) != 0 ? 1 : 0); // rounded up, no overflow near Long.MAX_VALUE
        int want = (int) Math.min(total, Math.max(1, rounded));
        return mib.tryAcquire(want, waitMillis, TimeUnit.MILLISECONDS) ? new Lease(want) : null;
    }

    /** MiB free now (for tests). */
    int freeMib() {
        return mib.availablePermits();
    }
}
