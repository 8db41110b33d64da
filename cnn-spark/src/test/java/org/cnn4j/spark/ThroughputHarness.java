package org.cnn4j.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Measures images/s: single-JVM batch inference ({@code predict(x, 256)} on a tensor in memory)
 * against {@link SparkPredictor} on {@code local[2]} scoring the same images as Kaggle CSV lines
 * (cached in Spark, so file reading is not timed) in 1, 2 and 7 partitions, with cnn4j's kernel
 * pool at 2 threads and at 1. Not a test: run it by hand (see docs/performance.md), on a quiet
 * machine, under {@code flock /tmp/bench.lock}.
 *
 * <p>Arguments: the MNIST t10k idx images file, then optionally the number of images (default all)
 * and the timed repetitions (default 3; the median is printed).
 */
public final class ThroughputHarness {
    private ThroughputHarness() {
    }

    public static void main(String[] args) throws Exception {
        byte[] idx = Files.readAllBytes(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : (idx.length - 16) / 784;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Sequential model = ModelZoo.digitRecognizer(7);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            csv.append(i == 0 ? "" : ",").append("pixel").append(i);
        }
        csv.append('\n');
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) {
                int v = idx[16 + i * 784 + j] & 0xFF;
                x.data()[i * 784 + j] = v / 255f;
                csv.append(j == 0 ? "" : ",").append(v);
            }
            csv.append('\n');
        }
        Path file = Files.createTempFile("cnn4j-bench", ".csv");
        Files.writeString(file, csv, StandardCharsets.US_ASCII);
        System.out.printf(Locale.ROOT, "%d images, %d reps (median), %d cores%n", n, reps,
                Runtime.getRuntime().availableProcessors());

        for (int threads : new int[] {2, 1}) {
            Parallel.setThreads(threads);
            model.predict(x, 256); // warm-up
            double[] t = new double[reps];
            for (int r = 0; r < reps; r++) {
                long s = System.nanoTime();
                model.predict(x, 256);
                t[r] = (System.nanoTime() - s) / 1e9;
            }
            System.out.printf(Locale.ROOT, "single JVM predict(x, 256), %d threads: %.0f images/s%n", threads,
                    n / median(t));
        }

        SparkSession spark = LocalSpark.local(2);
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> lines = spark.read().text(file.toString()).coalesce(1)
                .withColumn("ImageId", functions.monotonically_increasing_id())
                .filter(functions.col("ImageId").gt(0));
        ScoringOptions options = ScoringOptions.defaults().withInputColumn("value");
        for (int threads : new int[] {2, 1}) {
            Parallel.setThreads(threads);
            for (int partitions : new int[] {1, 2, 7}) {
                Dataset<Row> in = lines.repartition(partitions).cache();
                in.count();
                Dataset<Row> scored = SparkPredictor.predict(in, model, options);
                long sum = scored.agg(functions.sum("label")).first().getLong(0); // warm-up
                double[] t = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long s = System.nanoTime();
                    long again = scored.agg(functions.sum("label")).first().getLong(0);
                    t[r] = (System.nanoTime() - s) / 1e9;
                    if (again != sum) {
                        throw new AssertionError("a rerun gave other labels");
                    }
                }
                System.out.printf(Locale.ROOT, "Spark local[2], %d partitions, %d kernel threads: %.0f images/s%n",
                        partitions, threads, n / median(t));
                in.unpersist();
            }
        }
        spark.stop();
        Files.delete(file);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
