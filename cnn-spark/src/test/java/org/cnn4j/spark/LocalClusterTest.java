package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkPredictor} on {@code local-cluster[2,1,1024]}: two executors, each its own JVM started
 * by Spark's launcher as on a real cluster, so the model really is serialized, broadcast and loaded
 * in another JVM; the results are still bit-identical to one JVM's.
 */
class LocalClusterTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Sequential model;
    static Path images;
    static List<Path> pictures;
    static Map<String, float[]> expected;

    @BeforeAll
    static void start() throws Exception {
        model = TestData.model();
        images = Files.createDirectories(dir.resolve("images"));
        pictures = TestData.pictures(images, 40, 5);
        expected = TestData.singleJvm(model, pictures);
        spark = LocalSpark.localCluster();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void executorsAreOtherJvmsAndScoreBitForBitForOneTwoAndSevenPartitions() throws Exception {
        long driver = ProcessHandle.current().pid();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        FlatMapFunction<java.util.Iterator<Integer>, Long> pid =
                it -> List.of(ProcessHandle.current().pid()).iterator();
        Set<Long> pids = new HashSet<>(jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8).mapPartitions(pid).collect());
        assertThat(pids).doesNotContain(driver).isNotEmpty();

        for (int partitions : new int[] {1, 2, 7}) {
            Dataset<Row> files = spark.read().format("binaryFile").load(images.toString()).repartition(partitions);
            Dataset<Row> scored = SparkPredictor.predict(files, model, ScoringOptions.defaults().withBatchSize(8));
            assertThat(scored.rdd().getNumPartitions()).isEqualTo(partitions);
            Map<String, float[]> got = SparkPredictorTest.byPath(scored);
            assertThat(got.keySet()).as("%d partitions", partitions).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, float[]> e : expected.entrySet()) {
                assertThat(got.get(e.getKey())).as("%s, %d partitions", e.getKey(), partitions)
                        .containsExactly(e.getValue());
            }
        }
    }

    @Test
    void aCorruptImageInAnExecutorJvmIsTheRowsError() throws Exception {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(pictures.get(0), mixed.resolve("good.png"));
        TestData.corrupt(mixed, pictures.get(0));
        List<Row> rows = SparkPredictor.predict(spark.read().format("binaryFile").load(mixed.toString()).repartition(2),
                        model)
                .select(functions.col("path"), functions.col("label"), functions.col("error")).collectAsList();
        assertThat(rows).hasSize(3);
        for (Row r : rows) {
            boolean good = r.getString(0).endsWith("/good.png");
            assertThat(r.isNullAt(1)).as(r.getString(0)).isEqualTo(!good);
            assertThat(r.isNullAt(2)).as(r.getString(0)).isEqualTo(good);
        }
    }
}
