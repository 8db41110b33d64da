package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SparkPredictor} on {@code local[2]}: the same numbers as one JVM, whatever the partitioning. */
class SparkPredictorTest {
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
        pictures = TestData.pictures(images, 60, 3);
        expected = TestData.singleJvm(model, pictures);
        spark = LocalSpark.local(2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void imageFilesScoreBitForBitAsPredictDoesForAnyPartitioning(int partitions) {
        Dataset<Row> files = spark.read().format("binaryFile").load(images.toString()).repartition(partitions);
        // batches of 8: each partition is read in several batches whose make-up the partitioning decides
        Dataset<Row> scored = SparkPredictor.predict(files, model, ScoringOptions.defaults().withBatchSize(8));
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(partitions);
        Map<String, float[]> got = byPath(scored);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            assertThat(got.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
        }
    }

    @Test
    void corruptImagesGetANullLabelAndTheirErrorWhileTheOthersAreScored() throws Exception {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        for (Path p : pictures.subList(0, 5)) {
            Files.copy(p, mixed.resolve(p.getFileName()));
        }
        List<Path> bad = TestData.corrupt(mixed, pictures.get(0));
        // sorted into one partition: cut.png comes first, so a row in error sits before good rows in its batch
        Dataset<Row> files = spark.read().format("binaryFile").load(mixed.toString()).orderBy("path").coalesce(1);
        Dataset<Row> scored = SparkPredictor.predict(files, model);
        List<Row> rows = scored.select("path", "label", "probabilities", "error").collectAsList();
        assertThat(rows).hasSize(7);
        int good = 0;
        for (Row r : rows) {
            String path = r.getString(0);
            if (path.endsWith("cut.png") || path.endsWith("notes.png")) {
                assertThat(r.isNullAt(1)).as(path).isTrue();
                assertThat(r.isNullAt(2)).as(path).isTrue();
                assertThat(r.getString(3)).as(path).startsWith(path + ": ");
            } else {
                assertThat(r.isNullAt(3)).as(path).isTrue();
                float[] p = floats(r.getList(2));
                assertThat(p).containsExactly(expected.get(images.resolve(Path.of(path.substring(path.lastIndexOf('/') + 1)))
                        .toUri().toString()));
                assertThat(r.getInt(1)).isEqualTo(PartitionScorer.argmax(p));
                good++;
            }
        }
        assertThat(good).isEqualTo(5);
        String cut = errorOf(rows, bad.get(0));
        assertThat(cut).contains("cannot decode PNG image");
        assertThat(errorOf(rows, bad.get(1))).endsWith(": not an image (expected PNG, JPEG, BMP or GIF)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void kaggleCsvLinesScoreAsSubmitDoesForAnyPartitioning(int partitions) throws Exception {
        Path csv = TestData.kaggleCsv(dir.resolve("test" + partitions + ".csv"), 40, 11);
        float[] want = submit(csv);
        Dataset<Row> scored = SparkPredictor.predict(lines(csv).repartition(partitions), model,
                ScoringOptions.defaults().withInputColumn("value").withBatchSize(8));
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(partitions);
        assertMatches(scored, want, 40);
    }

    @Test
    void kaggleColumnsAndPixelArraysScoreAsSubmitDoes() throws Exception {
        Path csv = TestData.kaggleCsv(dir.resolve("columns.csv"), 12, 13);
        float[] want = submit(csv);
        // test.csv as Spark's CSV source reads it: 784 string columns pixel0..pixel783
        Dataset<Row> table = spark.read().option("header", "true").csv(csv.toString()).coalesce(1)
                .withColumn("ImageId", functions.monotonically_increasing_id().plus(1)).repartition(2);
        Column[] pixels = new Column[784];
        for (int i = 0; i < 784; i++) {
            pixels[i] = functions.col("pixel" + i).cast("int");
        }
        Dataset<Row> arrays = table.select(functions.col("ImageId"), functions.array(pixels).as("pixels"));
        assertMatches(SparkPredictor.predict(table, model), want, 12);
        assertMatches(SparkPredictor.predict(arrays, model, ScoringOptions.defaults().withInputColumn("pixels")), want, 12);
    }

    @Test
    void badPixelValuesAreTheRowsErrorNamedByItsId() throws Exception {
        Path csv = TestData.kaggleCsv(dir.resolve("bad.csv"), 4, 12);
        List<String> lines = Files.readAllLines(csv);
        lines.set(2, lines.get(2).replaceFirst("^\\d+,\\d+,", "0,300,"));
        lines.set(3, lines.get(3).replaceFirst("^\\d+,", "x,"));
        lines.set(4, lines.get(4).substring(0, lines.get(4).lastIndexOf(',')));
        Files.write(csv, lines);
        List<Row> rows = SparkPredictor.predict(lines(csv), model,
                        ScoringOptions.defaults().withInputColumn("value").withSourceColumn("ImageId"))
                .select("ImageId", "label", "error").orderBy("ImageId").collectAsList();
        assertThat(rows.get(0).isNullAt(2)).isTrue();
        assertThat(rows.get(0).isNullAt(1)).isFalse();
        assertThat(rows.get(1).getString(2)).isEqualTo("ImageId 2: pixel1 is 300, outside 0..255");
        assertThat(rows.get(2).getString(2)).isEqualTo("ImageId 3: pixel0 is \"x\", not a number 0..255");
        assertThat(rows.get(3).getString(2)).isEqualTo("ImageId 4: the line has 783 values, not 784 (28x28)");
        for (int i = 1; i < 4; i++) {
            assertThat(rows.get(i).isNullAt(1)).isTrue();
        }
    }

    /** What cnn-mnist's submit computes for test.csv: KaggleCsv, pixels / 255f, predict. */
    static float[] submit(Path csv) {
        LabeledImages test = KaggleCsv.readTest(csv);
        Tensor x = Tensor.zeros(test.size(), 1, 28, 28);
        byte[] px = test.copyPixels();
        for (int i = 0; i < px.length; i++) {
            x.data()[i] = (px[i] & 0xFF) / 255f;
        }
        return model.predict(x).data();
    }

    /** test.csv as text lines with their 1-based ImageId, the header dropped. */
    static Dataset<Row> lines(Path csv) {
        return spark.read().text(csv.toString()).coalesce(1)
                .withColumn("ImageId", functions.monotonically_increasing_id())
                .filter(functions.col("ImageId").gt(0));
    }

    static void assertMatches(Dataset<Row> scored, float[] want, int n) {
        List<Row> rows = scored.select("ImageId", "probabilities", "error", "label").collectAsList();
        assertThat(rows).hasSize(n);
        for (Row r : rows) {
            int id = (int) r.getLong(0);
            assertThat(r.isNullAt(2)).as("ImageId %d: %s", id, r.get(2)).isTrue();
            float[] w = java.util.Arrays.copyOfRange(want, (id - 1) * 10, id * 10);
            assertThat(floats(r.getList(1))).as("ImageId %d", id).containsExactly(w);
            assertThat(r.getInt(3)).isEqualTo(PartitionScorer.argmax(w));
        }
    }

    @Test
    void aDatasetWithoutImagesOrAModelForOtherInputsIsRefusedOnTheDriver() {
        Dataset<Row> numbers = spark.range(3).toDF("n");
        assertThatThrownBy(() -> SparkPredictor.predict(numbers, model))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no image column content and no Kaggle pixel columns pixel0..pixel783 (none) in the dataset's columns [n]");
        Dataset<Row> files = spark.read().format("binaryFile").load(images.toString());
        assertThatThrownBy(() -> SparkPredictor.predict(files.withColumn("label", functions.lit(1)), model))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a column label");
        Sequential other = new Sequential(3, 32, 32).add(new org.cnn4j.layers.Flatten())
                .add(new org.cnn4j.layers.Dense(10));
        assertThatThrownBy(() -> SparkPredictor.predict(files, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the model takes [3, 32, 32]");
    }

    static Map<String, float[]> byPath(Dataset<Row> scored) {
        Map<String, float[]> got = new HashMap<>();
        for (Row r : scored.select("path", "probabilities", "error").collectAsList()) {
            assertThat(r.isNullAt(2)).as("error for %s: %s", r.getString(0), r.isNullAt(2) ? "" : r.getString(2)).isTrue();
            got.put(Path.of(java.net.URI.create(r.getString(0))).toUri().toString(), floats(r.getList(1)));
        }
        return got;
    }

    static float[] floats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (Float) list.get(i);
        }
        return f;
    }

    private static String errorOf(List<Row> rows, Path file) {
        for (Row r : rows) {
            if (r.getString(0).endsWith("/" + file.getFileName())) {
                return r.getString(3);
            }
        }
        throw new AssertionError("no row for " + file);
    }
}
