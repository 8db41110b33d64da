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
}
