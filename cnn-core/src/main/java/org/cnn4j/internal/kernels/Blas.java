package org.cnn4j.internal.kernels;

/**
 * Multi-threaded gemm on top of a {@link Kernels}: splits the larger of C's two dimensions into
 * blocks, one task each. Every kernel computes each element of C with one fixed order of the
 * reduction over k, whatever block it lies in, so the result is the same for any split and any
 * thread count.
 */
public final class Blas {
    /** Below this many multiply-adds a gemm runs on the calling thread alone. */
    private static final long PARALLEL_THRESHOLD = 1 << 16;
    private static final int ALIGN = 16;

    private Blas() {
    }

    /** {@link Kernels#gemm} spread over {@link Parallel}'s threads. */
    public static void gemm(Kernels kernels, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_THRESHOLD) {
            kernels.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean splitRows = m >= n;
        int extent = splitRows ? m : n;
        // one row (a dense layer on one image) streams B from memory: one block per thread, no stealing worth its hand-off
        int blocks = Math.min(m == 1 ? threads : threads * 2, Math.max(1, extent / ALIGN));
        int step = ((extent + blocks - 1) / blocks + ALIGN - 1) / ALIGN * ALIGN;
        int tasks = (extent + step - 1) / step;
        Call call = CALLS.get();
        call.set(kernels, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, splitRows, extent, step);
        try {
            Parallel.forEach(tasks, call.task);
        } finally {
            call.clear();
        }
    }

    /**
     * One caller thread's gemm arguments, reused from call to call with one task made once, so a
     * parallel gemm allocates nothing. Per thread because two models may run on two threads.
     */
    private static final class Call {
        private Kernels kernels;
        private boolean transA, transB, splitRows;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, extent, step;
        private float[] a, b, c;
        private float beta;
        final Parallel.Body task = this::block;

        void set(Kernels kernels, boolean transA, boolean transB, int m, int n, int k,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc, boolean splitRows, int extent, int step) {
            this.kernels = kernels;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.splitRows = splitRows;
            this.extent = extent;
            this.step = step;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }

        private void block(int t, int worker) {
            int from = t * step;
            int len = Math.min(step, extent - from);
            if (splitRows) {
                int aStart = aOff + (transA ? from : from * lda);
                kernels.gemm(transA, transB, len, n, k, a, aStart, lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc);
            } else {
                int bStart = bOff + (transB ? from * ldb : from);
                kernels.gemm(transA, transB, m, len, k, a, aOff, lda, b, bStart, ldb, beta, c, cOff + from, ldc);
            }
        }
    }

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);
}
