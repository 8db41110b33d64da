package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnn4j.mnist.cli.ReliabilityTest.assertOneLineError;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.cnn4j.mnist.cli.CliTest.Result;
import org.cnn4j.mnist.data.IdxDataset;
import org.cnn4j.mnist.kaggle.CompetitionFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review findings of the command line, each through the CLI: a {@code --competition} that is not a
 * Kaggle name, an IDX test set of 0 images, {@code predict --show} whose preview would replace an
 * input, and one rule for output folders (missing ones are created, for every output).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRefusalsTest {
    Path tmp;
    Path model;
    Path test;

    @BeforeAll
    void inputs(@TempDir Path dir) throws Exception {
        tmp = dir;
        model = Hostile.model(dir.resolve("model.cnn4j"));
        test = Hostile.testCsv(dir.resolve("test.csv"), 20);
    }

    // ---------------------------------------------------------------- --competition

    @Test
    void aCompetitionThatIsNotAKaggleNameIsOneLineBeforeCredentialsOrFolders() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("kaggle-cache"));
        System.setProperty(CompetitionFiles.CACHE_PROPERTY, cache.toString());
        try {
            for (String bad : List.of("/etc", "..", "a/../../x", "", "-")) {
                assertOneLineError(CliTest.cli("fetch", "--kaggle", "--competition", bad),
                        "--competition '" + bad + "': not a Kaggle competition name");
                Path out = tmp.resolve("never-submitted.csv");
                assertOneLineError(CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(),
                        "--out", out.toString(), "--kaggle", "-m", "x", "--competition", bad),
                        "--competition '" + bad + "': not a Kaggle competition name");
                assertThat(out).doesNotExist();
            }
            try (var s = Files.list(cache)) {
                assertThat(s.toList()).isEmpty();
            }
            assertThat(tmp.resolve("x")).doesNotExist();
        } finally {
            System.clearProperty(CompetitionFiles.CACHE_PROPERTY);
        }
    }

    // ---------------------------------------------------------------- an empty IDX test set

    /** An IDX folder of {@code trainImages} training images and {@code testImages} test images. */
    private Path idxFolder(String name, int trainImages, int testImages) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        writeIdx(dir.resolve(IdxDataset.TRAIN_IMAGES), dir.resolve(IdxDataset.TRAIN_LABELS), trainImages);
        writeIdx(dir.resolve(IdxDataset.TEST_IMAGES), dir.resolve(IdxDataset.TEST_LABELS), testImages);
        return dir;
    }

    private static void writeIdx(Path images, Path labels, int n) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                img.put((byte) ((p * 7 + i * 31) % 256));
            }
            lab.put((byte) (i % 10));
        }
        Files.write(images, img.array());
        Files.write(labels, lab.array());
    }

    @Test
    void trainWithAnEmptyTestSetSaysSoAndReportsNoTestAccuracy() throws IOException {
        Path data = idxFolder("empty-test", 60, 0);
        Path run = tmp.resolve("run-empty-test");
        Result r = CliTest.cli("train", "--data", data.toString(), "--epochs", "1", "--no-augment", "--batch-size", "30",
                "--json", "--out", run.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // before: "Test accuracy: 0.0000 (loss 0.0000) on 0 images", and test_accuracy 0.0 in the JSON
        assertThat(r.err()).contains("Note: the test set in " + data + " holds 0 images: no test accuracy will be reported")
                .doesNotContain("Test accuracy");
        assertThat(r.out()).doesNotContain("test_accuracy").doesNotContain("test_loss").contains("\"val_accuracy\"");
        assertThat(run.resolve("model.cnn4j")).isRegularFile();
    }

    @Test
    void accuracyRefusesAnEmptyTestSetBeforeItsFolderOrAnyRun() throws IOException {
        Path data = idxFolder("empty-test-accuracy", 60, 0);
        Path out = tmp.resolve("accuracy-empty");
        assertOneLineError(CliTest.cli("accuracy", "--data", data.toString(), "--out", out.toString(), "--limit", "60",
                "--epochs", "1", "--seeds", "1"), data + ": the test set (t10k-images-idx3-ubyte) holds 0 images: "
                + "no test accuracy to measure");
        assertThat(out).doesNotExist();
    }

    // ---------------------------------------------------------------- predict --show over an input

    private static Path digit(Path file) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 6; y < 22; y++) {
            img.getRaster().setSample(14, y, 0, 255);
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** {@code predict} in a process of its own, in {@code dir}: {@code --show} writes into the current folder. */
    private static Result predictIn(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(Hostile.java(false, List.of()));
        cmd.add("predict");
        cmd.addAll(List.of(args));
        Path out = dir.resolve("../predict-out.txt"), err = dir.resolve("../predict-err.txt");
        Process p = Hostile.builder(cmd, false).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("predict finished").isTrue();
        String errText = Files.readString(err).replaceFirst("^WARNING: Using incubator modules: [^\n]*\n", "");
        return new Result(p.exitValue(), Files.readString(out), errText);
    }

    @Test
    void showRefusesAPreviewNamedAsAnInputBeforeWritingAnything() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("show"));
        Path x = digit(dir.resolve("x.png"));
        Path preview = Files.copy(x, dir.resolve("x.png.28x28.png"));
        Files.write(preview, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND); // a PNG with a tail, unlike x.png
        byte[] before = Files.readAllBytes(preview);
        Result r = predictIn(dir, "--model", model.toString(), "--show", "x.png", "x.png.28x28.png");
        assertOneLineError(r, "x.png.28x28.png: --show would write the 28x28 preview of x.png over this input");
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(preview)).isEqualTo(before);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("x.png", "x.png.28x28.png");
        }
        // the numbered name of a repeated file name too: a/7.png, b/7.png and 7.png.2.28x28.png
        Path a = digit(Files.createDirectories(dir.resolve("a")).resolve("7.png"));
        Path b = digit(Files.createDirectories(dir.resolve("b")).resolve("7.png"));
        Path second = digit(dir.resolve("7.png.2.28x28.png"));
        byte[] secondBefore = Files.readAllBytes(second);
        Result r2 = predictIn(dir, "--model", model.toString(), "--show", a.toString(), b.toString(), "7.png.2.28x28.png");
        assertOneLineError(r2, "7.png.2.28x28.png: --show would write the 28x28 preview of " + b + " over this input");
        assertThat(Files.readAllBytes(second)).isEqualTo(secondBefore);
        assertThat(dir.resolve("7.png.28x28.png")).doesNotExist();
    }

    // ---------------------------------------------------------------- one rule for output folders

    @Test
    void everyOutputCreatesItsMissingFolders() throws IOException {
        Path sub = tmp.resolve("outs/a/b");
        Result submit = CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out",
                sub.resolve("submission.csv").toString());
        assertThat(submit.status()).as(submit.err()).isZero();
        assertThat(Files.readString(sub.resolve("submission.csv"))).startsWith("ImageId,Label\n1,");

        Path train = Hostile.trainCsv(tmp.resolve("train-for-preview.csv"), 30);
        Result preview = CliTest.cli("preview", "--train-csv", train.toString(), "--out",
                tmp.resolve("outs/c/preview.png").toString());
        assertThat(preview.status()).as(preview.err()).isZero();
        assertThat(ImageIO.read(tmp.resolve("outs/c/preview.png").toFile())).isNotNull();

        Result onnx = CliTest.cli("export", "--model", model.toString(), "--onnx", tmp.resolve("outs/d/m.onnx").toString());
        assertThat(onnx.status()).as(onnx.err()).isZero();
        assertThat(tmp.resolve("outs/d/m.onnx")).isNotEmptyFile();

        // a file on the way is refused before any work, and nothing is created
        Path blocker = Files.writeString(tmp.resolve("outs/blocker"), "keep", StandardCharsets.UTF_8);
        assertOneLineError(CliTest.cli("preview", "--train-csv", train.toString(), "--out",
                blocker.resolve("p.png").toString()), blocker.resolve("p.png") + ": cannot write: " + blocker
                + " is not a folder");
        assertOneLineError(CliTest.cli("evaluate", "--model", model.toString(), "--csv", train.toString(), "--report",
                blocker.resolve("r/e.html").toString()), blocker.resolve("r/e.html") + ": cannot write: " + blocker
                + " is not a folder");
        assertThat(blocker).hasContent("keep");
    }
}
