package org.cnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cnn4j.init.Rng;
import org.cnn4j.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The forward pass of fewer images than threads splits filters across threads: same bits as one image per task. */
class Conv2DSplitTest {
    @Test
    void singleImageSplitMatchesBatchPath() {
        int before = Parallel.threads();
        try {
            for (int filters : new int[] {1, 5, 13}) {
                Conv2D c = new Conv2D(filters, 3, Padding.SAME, Activation.RELU);
                c.build(new int[] {3, 7, 9}, new Rng(7));
                Rng r = new Rng(3);
                Tensor x = Tensor.zeros(3, 3, 7, 9);
                for (int i = 0; i < x.size(); i++) {
                    x.data()[i] = r.nextFloat() - 0.5f;
                }
                Parallel.setThreads(2);
                float[] batch = c.forward(x, false).data().clone(); // 3 images >= 2 threads: one task per image
                int item = x.size() / 3, out = batch.length / 3;
                for (int threads : new int[] {2, 3}) {
                    Parallel.setThreads(threads);
                    for (int s = 0; s < 3; s++) {
                        Tensor one = Tensor.zeros(1, 3, 7, 9);
                        System.arraycopy(x.data(), s * item, one.data(), 0, item);
                        float[] y = c.forward(one, false).data();
                        float[] expected = java.util.Arrays.copyOfRange(batch, s * out, (s + 1) * out);
                        assertArrayEquals(expected, java.util.Arrays.copyOf(y, out), 0f,
                                "filters " + filters + ", threads " + threads + ", image " + s);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
