package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.train.Checkpoint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --batch-size} larger than the data is one batch of all of it per epoch, up to
 * Integer.MAX_VALUE: the steps per epoch, (n + batch - 1) / batch in int, overflowed there to 0 or
 * less, so the seed network "trained" on nothing (loss 0.0, exit 0) and v2 stopped with an internal error.
 */
class HugeBatchSizeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"seed", "v2"})
    void aBatchSizeNearIntegerMaxIsOneStepOfAllTheImages(String model) throws Exception {
        Path run = tmp.resolve(model);
        CliTest.Result r = CliTest.cli("train", "--model", model, "--data",
                AccuracyFoldersTest.idx(tmp.resolve("idx")).toString(), "--epochs", "1", "--no-augment",
                "--batch-size", Integer.toString(Integer.MAX_VALUE), "--out", run.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(ModelFile.load(run.resolve(Checkpoint.FILE)).optimizer().iterations()).isEqualTo(1);
        List<String> history = Files.readAllLines(run.resolve("history.csv"));
        assertThat(Double.parseDouble(history.get(1).split(",")[1])).as("the training loss of epoch 1").isPositive();
    }
}
