package org.cnn4j.mnist.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.mnist.bench.FmaPeak;
import org.cnn4j.mnist.bench.MachineInfo;
import org.cnn4j.mnist.bench.ModelFlops;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The peers' protocol ({@code shared/anchors/PROTOCOL.md}), printed as one JSON line last:
 * train_ips (batch 86, no augmentation, 30 warm-up batches, median of 3 runs of 150 batches),
 * infer_ips (batch 1000 over the test set, no dropout), latency_ms (median of 1000 single-image
 * calls) and acc_1epoch (test accuracy after one shuffled epoch on the training set). After
 * the peers' fields come the machine (CPU and JDK), its measured fp32 FMA peak and the fraction of
 * that peak training and inference reach, counting multiply-adds as a direct convolution does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and inference speed of the seed CNN; prints one JSON line.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the math (default: the number of cores).")
    Integer threads;

    @Option(names = "--skip-accuracy", description = "Skip the one-epoch accuracy run (acc_1epoch is then null).")
    boolean skipAccuracy;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() {
        if (threads != null) {
            int cores = Runtime.getRuntime().availableProcessors();
            if (threads < 1 || threads > cores) {
                throw new org.cnn4j.mnist.InputException("--threads must be 1.." + cores + " (the cores this JVM may use), got "
                        + threads);
            }
            Parallel.setThreads(threads);
        }
        DataOptions.Loaded loaded = data.load(System.err);
        LabeledImages trainImages = loaded.train();
        LabeledImages testImages = loaded.test() != null ? loaded.test() : trainImages.slice(0, Math.min(10_000, trainImages.size()));
        // measureSpeed takes fixed batches of 86 and cycles through the test images
        if (trainImages.size() < 86) {
            throw new org.cnn4j.mnist.InputException(loaded.source() + ": " + trainImages.size() + " labelled images, bench "
                    + "needs at least 86 (one training batch)");
        }
        if (testImages.size() == 0) {
            throw new org.cnn4j.mnist.InputException(loaded.source() + ": the test set has no images to time inference on");
        }
        ImageDataset train = new ImageDataset(trainImages, null, null, 1);
        ImageDataset test = new ImageDataset(testImages, null, null, 0);
        MachineInfo machine = MachineInfo.current();
        System.err.printf("kernels %s, threads %d%n", Kernels.get().name(), Parallel.threads());
        System.err.println("machine: " + machine.describe());
        double peak = FmaPeak.measure(Parallel.threads(), 50_000_000L, 5);
        System.err.printf(Locale.ROOT, "fp32 FMA peak: %.1f GFLOP/s (%d threads, %d lanes)%n", peak, Parallel.threads(),
                FmaPeak.lanes());

        // the speed runs' model and batch-1000 buffers (about 400 MB) are garbage once this returns,
        // before the accuracy run builds a second model in the same 640 MB heap
        double[] speed = measureSpeed(train, test);
        double trainIps = speed[0], inferIps = speed[1], latency = speed[2];

        String acc = "null";
        if (!skipAccuracy) {
            Sequential fresh = ModelZoo.digitRecognizer(2);
            fresh.fit(train, new FitOptions().batchSize(86).epochs(1).verbose(0)); // stdout is the JSON line
            acc = String.format(Locale.ROOT, "%.4f", fresh.evaluate(test, 1000).accuracy());
        }
        Sequential seed = ModelZoo.digitRecognizer(2);
        double trainGflops = trainIps * 2.0 * ModelFlops.trainingMacs(seed) / 1e9;
        double inferGflops = inferIps * 2.0 * ModelFlops.forwardMacs(seed) / 1e9;
        System.err.printf(Locale.ROOT, "training %.1f GFLOP/s (%.1f%% of peak), inference %.1f GFLOP/s (%.1f%% of peak)%n",
                trainGflops, 100 * trainGflops / peak, inferGflops, 100 * inferGflops / peak);
        String version = Main.class.getPackage().getImplementationVersion();
        System.out.printf(Locale.ROOT,
                "{\"system\": \"cnn4j\", \"version\": \"%s\", \"threads\": %d, \"train_ips\": %.1f, \"infer_ips\": %.1f, "
                        + "\"latency_ms\": %.3f, \"acc_1epoch\": %s, \"cpu\": \"%s\", \"jdk\": \"%s\", "
                        + "\"fma_peak_gflops\": %.1f, \"train_peak_fraction\": %.3f, \"infer_peak_fraction\": %.3f}%n",
                version == null ? "0.1.0-SNAPSHOT" : version, Parallel.threads(), trainIps, inferIps, latency, acc,
                json(machine.modelName() + " (" + machine.vendor() + " family " + machine.family() + " model "
                        + machine.model() + ")"), json(machine.jdk()), peak, trainGflops / peak, inferGflops / peak);
        return 0;
    }

    /** {train_ips, infer_ips, latency_ms} of a fresh seed CNN, as the protocol measures them. */
    private static double[] measureSpeed(ImageDataset train, ImageDataset test) {
        // training throughput: fixed batches of 86, warm-up 30, then 3 timed runs of 150
        Sequential m = ModelZoo.digitRecognizer(2);
        int bs = 86;
        Tensor x = Tensor.zeros(bs, 1, 28, 28), y = Tensor.zeros(bs, 10);
        int[] order = ImageDataset.identity(train.size());
        int cursor = 0;
        double[] runs = new double[3];
        for (int r = -1; r < 3; r++) {
            int batches = r < 0 ? 30 : 150;
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                if (cursor + bs > order.length) {
                    cursor = 0;
                }
                train.batch(order, cursor, bs, x.data(), y.data());
                cursor += bs;
                m.trainOnBatch(x, y, null);
            }
            if (r >= 0) {
                runs[r] = batches * bs / ((System.nanoTime() - t0) / 1e9);
                System.err.printf(Locale.ROOT, "train run %d: %.1f images/s%n", r + 1, runs[r]);
            }
        }
        double trainIps = median(runs);

        // inference throughput at batch 1000 over the test set
        int n = test.size();
        Tensor all = Tensor.zeros(n, 1, 28, 28);
        test.batch(ImageDataset.identity(n), 0, n, all.data(), new float[n * 10]);
        m.predict(all, 1000);
        double[] inf = new double[3];
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            m.predict(all, 1000);
            inf[r] = n / ((System.nanoTime() - t0) / 1e9);
        }
        double inferIps = median(inf);

        // latency of one image
        Tensor one = Tensor.zeros(1, 1, 28, 28);
        double[] lat = new double[1000];
        for (int i = 0; i < 1200; i++) {
            System.arraycopy(all.data(), (i % n) * 784, one.data(), 0, 784);
            long t0 = System.nanoTime();
            m.predict(one, 1);
            if (i >= 200) {
                lat[i - 200] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double latency = median(lat);
        return new double[] {trainIps, inferIps, latency};
    }

    /** The characters a JSON string may not hold as they are, escaped. */
    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
