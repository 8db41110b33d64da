package org.cnn4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.model.Sequential;
import org.cnn4j.spark.LocalSpark;
import org.cnn4j.spark.TestData;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end on local[2]: what it writes, and how it refuses bad input. */
class ScoreCommandTest {
    @TempDir
    static Path dir;

    static Sequential model;
    static Path modelFile;

    @BeforeAll
    static void train() throws Exception {
        model = TestData.model();
        modelFile = dir.resolve("model.cnn4j");
        ModelFile.save(model, modelFile);
    }

    @Test
    void testCsvGivesTheSubmissionSubmitWrites() throws Exception {
        Path csv = TestData.kaggleCsv(dir.resolve("test.csv"), 30, 21);
        Path out = dir.resolve("submission.csv");
        Result r = run("--model", modelFile.toString(), "--test-csv", csv.toString(), "--out", out.toString(),
                "--partitions", "3");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("Wrote 30 predictions to " + out);
        // cnn-mnist's submit: KaggleCsv, pixels / 255f, predict, first maximum
        LabeledImages test = KaggleCsv.readTest(csv);
        Tensor x = Tensor.zeros(test.size(), 1, 28, 28);
        byte[] px = test.copyPixels();
        for (int i = 0; i < px.length; i++) {
            x.data()[i] = (px[i] & 0xFF) / 255f;
        }
        float[] p = model.predict(x).data();
        StringBuilder want = new StringBuilder("ImageId,Label\n");
        for (int i = 0; i < 30; i++) {
            want.append(i + 1).append(',').append(TestData.argmax(java.util.Arrays.copyOfRange(p, i * 10, i * 10 + 10)))
                    .append('\n');
        }
        assertThat(Files.readString(out)).isEqualTo(want.toString());
    }

    @Test
    void imagesGoToParquetWithTheirErrorsAndReplaceAnOldOutput() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<Path> pictures = TestData.pictures(images, 6, 8);
        TestData.corrupt(images, pictures.get(0));
        Map<String, float[]> expected = TestData.singleJvm(model, pictures);
        Path out = dir.resolve("scores.parquet");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stale"), "from an earlier run");
        Result r = run("--model", modelFile.toString(), "--images", images.toString(), "--out", out.toString());
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.err).contains("warning: 2 rows could not be scored");
        assertThat(out.resolve("stale")).doesNotExist();
        SparkSession spark = LocalSpark.local(1);
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertThat(rows).hasSize(8);
            int scored = 0;
            for (Row row : rows) {
                String path = Path.of(java.net.URI.create(row.getString(0))).toUri().toString();
                if (expected.containsKey(path)) {
                    assertThat(TestData.floats(row.getList(2))).containsExactly(expected.get(path));
                    scored++;
                } else {
                    assertThat(row.isNullAt(1)).isTrue();
                    assertThat(row.getString(3)).startsWith(row.getString(0) + ": ");
                }
            }
            assertThat(scored).isEqualTo(6);
        } finally {
            spark.stop();
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-") || n.contains(".old-"));
        }
    }

    @Test
    void userMistakesAreOneLineAndStatus2WithNothingWritten() throws Exception {
        Path out = dir.resolve("never.csv");
        Result missing = run("--model", dir.resolve("nope.cnn4j").toString(), "--test-csv", "x.csv", "--out", out.toString());
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.err.strip()).isEqualTo("error: " + dir.resolve("nope.cnn4j") + ": no such model file");

        Path noCsv = dir.resolve("absent.csv");
        Result absent = run("--model", modelFile.toString(), "--test-csv", noCsv.toString(), "--out", out.toString());
        assertThat(absent.status).isEqualTo(2);
        assertThat(absent.err.strip()).isEqualTo("error: " + noCsv + ": no such file");

        Path csv = TestData.kaggleCsv(dir.resolve("bad.csv"), 5, 22);
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.set(4, lines.get(4).replaceFirst("^\\d+,", "-1,"));
        Files.write(csv, lines);
        Result bad = run("--model", modelFile.toString(), "--test-csv", csv.toString(), "--out", out.toString());
        assertThat(bad.status).as(bad.err).isEqualTo(2);
        // Spark's own start-up warnings may come first; ours is the last line, with no stack trace
        assertThat(bad.err).doesNotContain("\tat ");
        assertThat(lastLine(bad.err)).isEqualTo("error: ImageId 4: pixel0 is -1, outside 0..255;"
                + " no submission written (--out X.parquet keeps every row with its error)");
        assertThat(out).doesNotExist();
    }

    @Test
    void debugFromCnnMnistsMixinIsDocumentedAndPrintsTheStackTrace() {
        assertThat(run("--help").out).contains("--debug").contains("Print stack traces.");
        String missing = dir.resolve("nope.cnn4j").toString();
        Result debug = run("--model", missing, "--test-csv", "x.csv", "--debug");
        assertThat(debug.status).isEqualTo(2);
        assertThat(debug.err).startsWith("error: " + missing + ": no such model file").contains("\tat org.cnn4j.spark.");
    }

    record Result(int status, String out, String err) {
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = ScoreCommand.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
