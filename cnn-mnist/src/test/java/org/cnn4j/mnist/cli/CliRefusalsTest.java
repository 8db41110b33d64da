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
}
