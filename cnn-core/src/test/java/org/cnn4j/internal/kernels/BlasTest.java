package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Blas#gemm} splits C into blocks across threads (columns for one row, a dense layer on one
 * image; rows or columns otherwise): for any thread count it must give the single call's bits,
 * and leave everything outside C's block (gaps of ldc, the offset) untouched.
 */
class BlasTest {
    private static final Kernels VECTOR = new VectorKernels();

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 1000, 100", "1, 1031, 70", "1, 257, 300", "1, 20, 4000", "1, 1, 70000", "3, 900, 40",
        "300, 7, 50", "70, 65, 33"})
    void anySplitGivesTheSingleCallsBits(int m, int n, int k) {
        int before = Parallel.threads();
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        try {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2;
                    float[] a = random(rnd, 4 + (ta ? k : m) * lda);
                    float[] b = random(rnd, 6 + (tb ? n : k) * ldb);
                    float[] c0 = random(rnd, 2 + m * ldc);
                    for (float beta : new float[] {0f, 1f}) {
                        float[] expected = c0.clone();
                        VECTOR.gemm(ta, tb, m, n, k, a, 4, lda, b, 6, ldb, beta, expected, 2, ldc);
                        for (int threads : new int[] {1, 2, 3}) {
                            Parallel.setThreads(threads);
                            float[] c = c0.clone();
                            Blas.gemm(VECTOR, ta, tb, m, n, k, a, 4, lda, b, 6, ldb, beta, c, 2, ldc);
                            assertThat(c).as("transA %s transB %s beta %s threads %d", ta, tb, beta, threads)
                                    .isEqualTo(expected);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
