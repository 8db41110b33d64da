package org.cnn4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of worker threads that runs {@code tasks} independent pieces of work.
 *
 * <p>Callers partition their work into tasks whose boundaries do not depend on the thread count,
 * and each task writes only its own outputs; so results are bit-identical for any thread count.
 * The calling thread works too. The default thread count is the number of available cores; change
 * it with {@link #setThreads(int)} or the system property {@code cnn4j.threads}.
 */
public final class Parallel {
    private static volatile Pool pool = new Pool(defaultThreads());

    private Parallel() {
    }

    private static int defaultThreads() {
        String p = System.getProperty("cnn4j.threads");
        if (p != null) {
            try {
                return Math.max(1, Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property cnn4j.threads is not a number: " + p);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads work is spread over (the caller included). */
    public static int threads() {
        return pool.threads;
    }

    /** Sets the number of threads (at least 1). Not to be called while work is running. */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (threads != pool.threads) {
            Pool old = pool;
            pool = new Pool(threads);
            old.shutdown();
        }
    }

    /** A piece of work: task number {@code task}, run by worker {@code worker} in {@code [0, threads())}. */
    @FunctionalInterface
    public interface Body {
        /** Runs one task; {@code worker} indexes per-thread scratch space, never the result. */
        void run(int task, int worker);
    }

    /**
     * Runs {@code body} for every task in {@code [0, tasks)}, spread over the pool, and returns when
     * all are done. The first exception a task throws is rethrown here. Calls must not nest.
     */
    public static void forEach(int tasks, Body body) {
        if (tasks <= 0) {
            return;
        }
        Pool p = pool;
        if (tasks == 1 || p.threads == 1) {
            for (int t = 0; t < tasks; t++) {
                body.run(t, 0);
            }
            return;
        }
        if (Thread.currentThread() instanceof Worker w) {
            throw new IllegalStateException("Parallel.forEach called from inside a task on " + w.getName());
        }
        p.run(tasks, body);
    }

    private static final class Worker extends Thread {
        final int index;

        Worker(Runnable r, int index) {
            super(r, "cnn4j-worker-" + index);
            this.index = index;
            setDaemon(true);
        }
    }

    /** One job at a time; workers spin briefly then park, so short kernels keep their latency low. */
    private static final class Pool {
        final int threads;
        private final Worker[] workers;
        private final Object lock = new Object();
        private volatile Job job;
        private volatile boolean closed;

        Pool(int threads) {
            this.threads = threads;
            this.workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                final int index = i + 1;
                workers[i] = new Worker(() -> workLoop(index), index);
                workers[i].start();
            }
        }

        void run(int tasks, Body body) {
            synchronized (lock) {
                Job j = new Job(tasks, body);
                job = j;
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
                j.work(0);
                while (j.done.get() < tasks) {
                    Thread.onSpinWait();
                }
                job = null;
                if (j.error != null) {
                    if (j.error instanceof RuntimeException re) {
                        throw re;
                    }
                    if (j.error instanceof Error er) {
                        throw er;
                    }
                    throw new RuntimeException(j.error);
                }
            }
        }

        private void workLoop(int index) {
            Job last = null;
            while (!closed) {
                Job j = job;
                if (j != null && j != last) {
                    last = j;
                    j.work(index);
                    continue;
                }
                // Between the kernels of one training step the next job comes within microseconds:
                // spin briefly for it, then sleep until run() unparks us, so an idle pool costs no CPU.
                // An unpark that comes before park() is remembered, so no wake-up is lost.
                for (int spins = 0; spins < 2_000 && job == j && !closed; spins++) {
                    Thread.onSpinWait();
                }
                if (job == j && !closed) {
                    LockSupport.park(this);
                }
            }
        }

        void shutdown() {
            closed = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    private static final class Job {
        final int tasks;
        final Body body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable error;

        Job(int tasks, Body body) {
            this.tasks = tasks;
            this.body = body;
        }

        void work(int worker) {
            int t;
            while ((t = next.getAndIncrement()) < tasks) {
                try {
                    if (error == null) {
                        body.run(t, worker);
                    }
                } catch (Throwable e) {
                    if (error == null) {
                        error = e;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }
}
