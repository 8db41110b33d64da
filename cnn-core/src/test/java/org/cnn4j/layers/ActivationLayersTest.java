package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ReLU and Softmax reuse their output from batch to batch and allocate nothing in the steady state. */
class ActivationLayersTest {

    private static Tensor random(long seed, int... shape) {
        Rng r = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = r.nextFloat() * 4 - 2;
        }
        return t;
    }

    @Test
    void reluReusesItsOutputUntilTheBatchShapeChanges() {
        ReLU relu = new ReLU();
        relu.build(new int[] {2, 3, 3}, new Rng(1));
        Tensor x = random(1, 4, 2, 3, 3);
        Tensor y = relu.forward(x, true);
        assertThat(relu.forward(random(2, 4, 2, 3, 3), true)).isSameAs(y);

        Tensor smaller = random(3, 1, 2, 3, 3);
        Tensor y1 = relu.forward(smaller, true);
        assertThat(y1).isNotSameAs(y);
        assertThat(y1.shape()).containsExactly(1, 2, 3, 3);
        for (int i = 0; i < smaller.size(); i++) {
            assertThat(y1.data()[i]).isEqualTo(Math.max(0f, smaller.data()[i]));
        }
    }

    @Test
    void softmaxReusesItsOutputUntilTheBatchShapeChanges() {
        Softmax softmax = new Softmax();
        softmax.build(new int[] {5}, new Rng(1));
        Tensor y = softmax.forward(random(1, 3, 5), true);
        assertThat(softmax.forward(random(2, 3, 5), true)).isSameAs(y);
        Tensor y1 = softmax.forward(random(3, 2, 5), true);
        assertThat(y1).isNotSameAs(y);
        assertThat(y1.shape()).containsExactly(2, 5);
    }

    @Test
    void forwardAndBackwardAllocateNothingInTheSteadyState() {
        ReLU relu = new ReLU();
        relu.build(new int[] {2, 3, 3}, new Rng(1));
        Softmax softmax = new Softmax();
        softmax.build(new int[] {10}, new Rng(1));
        Tensor x4 = random(1, 4, 2, 3, 3), dy4 = random(2, 4, 2, 3, 3);
        Tensor x2 = random(3, 4, 10), dy2 = random(4, 4, 10);
        // The least of several rounds: until the JIT has compiled ReLU's vector kernel (slow on a
        // busy machine), the Vector API allocates, which is no concern of the layers.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 30 && least >= 8; round++) {
            long start = allocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                step(relu, softmax, x4, dy4, x2, dy2);
            }
            least = Math.min(least, (allocatedBytes() - start) / 10_000);
        }
        // Copying the input shape in each forward call cost 56 bytes a step here (an int[4], an int[2]).
        assertThat(least).isLessThan(8);
    }

    private static void step(ReLU relu, Softmax softmax, Tensor x4, Tensor dy4, Tensor x2, Tensor dy2) {
        relu.forward(x4, true);
        relu.backward(dy4);
        softmax.forward(x2, true);
        softmax.backward(dy2);
    }

    /**
     * Bytes allocated so far by this thread, through {@code com.sun.management.ThreadMXBean}, called
     * reflectively because the library's module does not read {@code java.management}.
     */
    private static long allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Method current = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            return (long) current.invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
