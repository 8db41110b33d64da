package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.fusion.InferenceFusion;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Layer;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Per-layer CPU time of one training step of the seed CNN (batch 86), or of the v2 BatchNorm CNN
 * with {@code -Dcnn4j.profile.model=v2}, and of the whole
 * {@code trainOnBatch}. Measures the calling thread's CPU time, so run it single-threaded, where
 * all work is on that thread and other processes' load disturbs it least (with
 * {@code -Dcnn4j.profile.wall=true} it measures wall-clock time, for several threads):
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -Dcnn4j.threads=1 -cp benchmarks/target/benchmarks.jar \
 *     org.cnn4j.bench.LayerProfile [steps [batch]]}</pre>
 *
 * <p>{@code -Dcnn4j.profile.warm=N} sets the warm-up steps (15); with
 * {@code -Dcnn4j.profile.inference=true} only the forward passes run (no training step).
 */
public final class LayerProfile {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** Bytes the calling thread allocates: the steady state should allocate nothing. */
    private static final com.sun.management.ThreadMXBean ALLOC = (com.sun.management.ThreadMXBean) MX;

    private LayerProfile() {
    }

    /** {@code -Dcnn4j.profile.wall=true}: wall-clock time instead, to see how well layers use several threads. */
    private static final boolean WALL = Boolean.getBoolean("cnn4j.profile.wall");
    /** {@code -Dcnn4j.profile.inference=true}: forward passes only, in inference mode (no dropout). */
    private static final boolean INFERENCE = Boolean.getBoolean("cnn4j.profile.inference");

    /** {@code -Dcnn4j.profile.model=v2}: the BatchNorm CNN of {@code train --model v2}; default {@code seed}. */
    private static final String MODEL = System.getProperty("cnn4j.profile.model", "seed");

    private static long cpu() {
        return WALL ? System.nanoTime() : MX.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warm = Integer.getInteger("cnn4j.profile.warm", 15), n = args.length > 1 ? Integer.parseInt(args[1]) : 86;
        Sequential m = switch (MODEL) {
            case "seed" -> ModelZoo.digitRecognizer(2);
            // 60k images in steps of n, 30 epochs: the schedule only sets the learning rate, not the cost
            case "v2" -> ModelZoo.digitRecognizerV2(1, 28, 28, 10, 2, (60_000 + n - 1) / n, 30);
            default -> throw new IllegalArgumentException("-Dcnn4j.profile.model must be seed or v2, got " + MODEL);
        };
        m.build();
        // inference runs the plan a predictor runs: a convolution and its pooling fused (-Dcnn4j.fuse=false: not)
        List<Layer> ls = INFERENCE ? InferenceFusion.apply(m.layers(), Layer.class) : m.layers();
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        Rng r = new Rng(1);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        Tensor y = Tensor.zeros(n, 10);
        for (int i = 0; i < n; i++) {
            y.data()[i * 10 + i % 10] = 1;
        }
        long[] fw = new long[ls.size()], bw = new long[ls.size()], allocated = new long[ls.size()];
        for (int it = 0; it < warm + steps; it++) {
            Tensor t = x;
            for (int i = 0; i < ls.size(); i++) {
                long t0 = cpu(), a0 = ALLOC.getCurrentThreadAllocatedBytes();
                t = ls.get(i).forward(t, !INFERENCE);
                if (it >= warm) {
                    fw[i] += cpu() - t0;
                }
                // the last step's forward allocation: a Vector API kernel that C2 failed to
                // intrinsify shows here (it allocated 1.5 bytes per output byte once)
                allocated[i] = ALLOC.getCurrentThreadAllocatedBytes() - a0;
            }
            if (INFERENCE) {
                continue;
            }
            Tensor g = Tensor.zeros(t.shape());
            for (int i = 0; i < g.size(); i++) {
                g.data()[i] = (r.nextFloat() - 0.5f) * 0.01f;
            }
            for (int i = ls.size() - 1; i >= 0 && g != null; i--) {
                long t0 = cpu();
                g = ls.get(i).backward(g);
                if (it >= warm) {
                    bw[i] += cpu() - t0;
                }
            }
        }
        double d = steps * 1e6;
        long tot = 0;
        for (int i = 0; i < ls.size(); i++) {
            tot += fw[i] + bw[i];
            String engine = ls.get(i) instanceof Conv2D c ? "  " + c.algorithmName() : "";
            System.out.printf("%-30s fwd %7.2f ms  bwd %7.2f ms  (last forward allocated %.2f MB)%s%n", ls.get(i).name(),
                    fw[i] / d, bw[i] / d, allocated[i] / 1e6, engine);
        }
        if (INFERENCE) { // the per-layer forward passes are the measurement; a training step at batch 1000 takes seconds
            System.out.printf("layers %.1f ms %s (%s, %d threads)%n", tot / d, WALL ? "wall" : "CPU", Kernels.get().name(),
                    Parallel.threads());
            return;
        }
        long[] st = new long[steps];
        for (int it = 0; it < warm; it++) {
            m.trainOnBatch(x, y, null);
        }
        long bytes0 = allocated();
        for (int it = 0; it < steps; it++) {
            long t0 = cpu();
            m.trainOnBatch(x, y, null);
            st[it] = cpu() - t0;
        }
        long perStep = (allocated() - bytes0) / steps;
        Arrays.sort(st);
        double med = st[steps / 2] / 1e6;
        String clock = WALL ? "wall" : "CPU";
        System.out.printf("layers %.1f ms %s; trainOnBatch median %.1f ms %s = %.0f images/s%s (%s, %d threads)%n",
                tot / d, clock, med, clock, n / (med / 1e3), WALL ? "" : " per core", Kernels.get().name(),
                Parallel.threads());
        // boxed vectors and the like: garbage made per step on this thread (kernel threads' not counted)
        System.out.printf("allocated %d bytes per trainOnBatch on the calling thread%n", perStep);
    }

    private static long allocated() {
        return MX instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : 0;
    }
}
