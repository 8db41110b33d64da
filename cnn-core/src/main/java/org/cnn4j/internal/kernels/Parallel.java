package org.cnn4j.internal.kernels;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of worker threads that runs {@code tasks} independent pieces of work.
 *
 * <p>Callers partition their work into tasks whose boundaries do not depend on the thread count,
 * and each task writes only its own outputs; so results are bit-identical for any thread count.
 * The calling thread works too. The default thread count is the number of available cores; change
 * it with {@link #setThreads(int)} or the system property {@code cnn4j.threads}.
 *
 * <p>The pool runs one job at a time. A caller that finds it busy (another thread's forward pass)
 * does not queue behind it: it runs its tasks itself, on its own thread, as worker 0. Its task
 * boundaries are the same, so its results are the same bits; and N threads predicting at once
 * keep every core busy instead of taking turns on the pool.
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
        return CALL_STATE.get()[0] > 0 ? 1 : pool.threads;
    }

    /**
     * Per thread: {@code [0]} how deep it is in {@link #call} work that runs alone (0: it may use
     * the pool), {@code [1]} how deep in {@link #call} at all (a nested call is already admitted).
     */
    private static final ThreadLocal<int[]> CALL_STATE = ThreadLocal.withInitial(() -> new int[2]);
    /** Callers inside {@link #call} right now. */
    private static final AtomicInteger CALLERS = new AtomicInteger();
    /** Admits as many callers at once as there are threads; the rest wait (unfair: a caller that just finished may go again at once, which keeps the cores busy). */
    private static volatile Semaphore gate = new Semaphore(admitted(pool.threads));

    /**
     * Callers admitted at once: one per core, or per pool thread where the pool has more (with a
     * pool of 1 on 2 cores, as Spark's task slots set it, two callers still run side by side).
     */
    private static int admitted(int threads) {
        return Math.max(threads, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs one caller's unit of work (a prediction) and returns its result. At most one caller per
     * core (or per pool thread, where there are more) runs at once (the others wait), because
     * more than one per core only adds switching and buffers. The first caller in has the pool;
     * while another caller's work runs too, this one runs on its own thread alone
     * ({@link #threads()} is 1 there and {@link #forEach} runs every task in place): with as many
     * callers as cores, each keeps one core busy, instead of all queueing for a pool that serves one
     * job at a time and splits each job into pieces that only pay when one caller has every core.
     * Task boundaries never depend on the thread count, so the bits are the same.
     *
     * @param work the work, which may call {@link #forEach}
     * @param <T> the result type
     * @return what {@code work} returns
     */
    public static <T> T call(java.util.function.Supplier<T> work) {
        int[] state = CALL_STATE.get();
        if (state[1] > 0) {
            return work.get();
        }
        Semaphore g = gate;
        g.acquireUninterruptibly();
        state[1]++;
        boolean byItself = CALLERS.getAndIncrement() > 0;
        if (byItself) {
            state[0]++;
        }
        try {
            return work.get();
        } finally {
            if (byItself) {
                state[0]--;
            }
            CALLERS.decrementAndGet();
            state[1]--;
            g.release();
        }
    }

    /**
     * Sets the number of threads (at least 1). Not to be called while work is running.
     *
     * @param threads the threads work is spread over, the caller included
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (threads != pool.threads) {
            Pool old = pool;
            pool = new Pool(threads);
            gate = new Semaphore(admitted(threads));
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
        if (tasks == 1 || p.threads == 1 || CALL_STATE.get()[0] > 0) {
            for (int t = 0; t < tasks; t++) {
                body.run(t, 0);
            }
            return;
        }
        if (Thread.currentThread() instanceof Worker w) {
            throw new IllegalStateException("Parallel.forEach called from inside a task on " + w.getName());
        }
        if (!p.run(tasks, body)) {
            inline.incrementAndGet();
            for (int t = 0; t < tasks; t++) {
                body.run(t, 0);
            }
        }
    }

    /** Jobs run on their caller's thread because the pool was busy (for tests and diagnostics). */
    private static final AtomicLong inline = new AtomicLong();

    /**
     * How many jobs ran on their caller's thread because the pool was busy with another caller's.
     *
     * @return the count since start-up
     */
    public static long inlineJobs() {
        return inline.get();
    }

    private static final class Worker extends Thread {
        final int index;

        Worker(Runnable r, int index) {
            super(r, "cnn4j-worker-" + index);
            this.index = index;
            setDaemon(true);
        }
    }

    /**
     * One job at a time; workers spin briefly then park, so short kernels keep their latency low.
     *
     * <p>The job's fields are reused from call to call, so that a call allocates nothing. Tasks
     * are claimed from {@link #claims}, which holds the job's generation in its high 32 bits and
     * the next task index in its low 32: a worker that is late from one job cannot claim a task
     * of the next, because its compare-and-set names the old generation. A successful claim also
     * proves that {@code body} and {@code tasks}, read after the claim word, belong to that
     * generation: the caller closes the claim word when every task has finished, and only then
     * rewrites them for the next job.
     */
    private static final class Pool {
        final int threads;
        private final Worker[] workers;
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicLong claims = new AtomicLong();
        private final AtomicInteger done = new AtomicInteger();
        private int generation;
        private int tasks;
        private Body body;
        private volatile Throwable error;
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

        /** Runs the job on the pool and returns true, or returns false at once if the pool is busy. */
        boolean run(int tasks, Body body) {
            if (lock.isHeldByCurrentThread()) {
                // the calling thread, inside one of its own tasks: the job's state would be overwritten
                throw new IllegalStateException("Parallel.forEach called from inside a task");
            }
            if (!lock.tryLock()) {
                return false;
            }
            try {
                this.tasks = tasks;
                this.body = body;
                error = null;
                done.set(0);
                int gen = ++generation;
                claims.set((long) gen << 32); // publishes the fields above
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
                work(0);
                while (done.get() < tasks) {
                    Thread.onSpinWait();
                }
                // Closed: a task index no job reaches. A worker that read this job's claim word
                // and then the next job's fields fails its compare-and-set on this value.
                claims.set(((long) gen << 32) | Integer.MAX_VALUE);
                this.body = null; // let the job's arrays go
                Throwable e = error;
                if (e != null) {
                    error = null;
                    if (e instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e instanceof Error er) {
                        throw er;
                    }
                    throw new RuntimeException(e);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Claims and runs tasks of the current generation until none is left. */
        private void work(int worker) {
            while (true) {
                long c = claims.get();
                Body b = body;
                int t = (int) c;
                if (b == null || t >= tasks || !claims.compareAndSet(c, c + 1)) {
                    if (b == null || t >= tasks) {
                        return;
                    }
                    continue; // another thread claimed first, or a new job began: read again
                }
                try {
                    if (error == null) {
                        b.run(t, worker);
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

        private void workLoop(int index) {
            int last = 0;
            while (!closed) {
                int gen = (int) (claims.get() >>> 32);
                if (gen != last) {
                    last = gen;
                    work(index);
                    continue;
                }
                // Between the kernels of one training step the next job comes within microseconds:
                // spin briefly for it, then sleep until run() unparks us, so an idle pool costs no CPU.
                // An unpark that comes before park() is remembered, so no wake-up is lost.
                for (int spins = 0; spins < 2_000 && (int) (claims.get() >>> 32) == last && !closed; spins++) {
                    Thread.onSpinWait();
                }
                if ((int) (claims.get() >>> 32) == last && !closed) {
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
}
