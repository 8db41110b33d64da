package org.cnn4j.mnist.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's fp32 fused multiply-add peak with the Vector API: every thread runs
 * {@value #CHAINS} independent FMA chains on the widest vectors, so the loop is bound by FMA
 * throughput, not latency (a chain waits 4-5 cycles for its last result; two FMA pipes need 8-10
 * chains in flight). The figure is what cnn4j's own kernels could at best reach on this machine,
 * which makes "fraction of peak" a fair way to compare figures taken on different CPUs.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int CHAINS = 12;
    /** Where the chains' results go, so the JIT cannot drop the loops that compute them. */
    private static volatile float sink;

    private FmaPeak() {
    }

    /**
     * GFLOP/s (2 per multiply-add per lane) of {@code threads} threads running FMA chains at once;
     * the best of {@code repeats} runs of {@code iterations} iterations per thread.
     *
     * @param threads how many threads run the chains at the same time (the thread count of the math)
     * @param iterations the loop trips per thread and run; each does {@value #CHAINS} vector FMAs
     * @param repeats the runs to take the best of (the first warms the JIT up)
     * @return the measured peak in GFLOP/s
     */
    public static double measure(int threads, long iterations, int repeats) {
        // Until C2 compiles the chains, each vector op is a boxed object (about 100x slower): call
        // the method often enough on short loops that it is compiled before the first timed run.
        for (int i = 0; i < 20_000; i++) {
            sink += chains(64, i);
        }
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                ts[t] = new Thread(() -> sink += chains(iterations, 1f + id * 1e-7f), "fma-probe-" + t);
                ts[t].start();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return best;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double flops = 2.0 * S.length() * CHAINS * iterations * threads;
            best = Math.max(best, flops / secs / 1e9);
        }
        return best;
    }

    /** The vector lanes the probe uses (16 for 512-bit vectors). */
    public static int lanes() {
        return S.length();
    }

    private static float chains(long iterations, float seed) {
        // a = b ~ 1 - tiny, so the values stay finite and normal for any iteration count
        FloatVector a = FloatVector.broadcast(S, 0.999999f), b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
