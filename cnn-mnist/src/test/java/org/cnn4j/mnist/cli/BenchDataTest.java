package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench times fixed batches of 86 training images and predicts every test image: with fewer
 * training images it indexed past them, and with an empty test set it divided by zero, both
 * "internal errors" (exit 1). They are one line and exit 2 now, before anything is measured.
 */
class BenchDataTest {
    @Test
    void fewerTrainingImagesThanOneBatchIsAUserError(@TempDir Path tmp) throws Exception {
        Path csv = Hostile.trainCsv(tmp.resolve("train.csv"), 50);
        CliTest.Result r = CliTest.cli("bench", "--train-csv", csv.toString(), "--threads", "1", "--skip-accuracy");
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip()).isEqualTo("cnn-mnist: error: " + csv + ": 50 labelled images, bench needs at least 86 "
                + "(one training batch)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anEmptyTestSetIsAUserError(@TempDir Path tmp) throws Exception {
        Path dir = AccuracyFoldersTest.idx(tmp.resolve("idx"));
        int n = 100;
        Files.write(dir.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n)
                .putInt(28).putInt(28).array());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n).array());
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), ByteBuffer.allocate(16).putInt(0x803).putInt(0).putInt(28)
                .putInt(28).array());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), ByteBuffer.allocate(8).putInt(0x801).putInt(0).array());
        CliTest.Result r = CliTest.cli("bench", "--data", dir.toString(), "--threads", "1", "--skip-accuracy");
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip()).isEqualTo("cnn-mnist: error: " + dir + ": the test set has no images to time "
                + "inference on");
        assertThat(r.out()).isEmpty();
    }
}
