package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accuracy} when a folder it must create is blocked by a file: one line and exit 2 before
 * any training, not an "internal error" with exit 1.
 */
class AccuracyFoldersTest {

    /** An IDX folder of 20 training and 20 test images of zeros, labels 0..9. */
    static Path idx(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String set : new String[] {"train", "t10k"}) {
            int n = 20;
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                labels.put((byte) (i % 10));
            }
            Files.write(dir.resolve(set + "-images-idx3-ubyte"), images.array());
            Files.write(dir.resolve(set + "-labels-idx1-ubyte"), labels.array());
        }
        return dir;
    }

    static CliTest.Result accuracy(Path data, Path out) {
        return CliTest.cli("accuracy", "--data", data.toString(), "--out", out.toString(), "--seeds", "1", "--epochs", "1",
                "--limit", "20", "--test-limit", "10", "--threads", "1");
    }

    @Test
    void anOutFolderUnderAFileIsAUserError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        CliTest.Result r = accuracy(idx(tmp.resolve("idx")), file.resolve("protocol"));
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip()).startsWith("cnn-mnist: error: " + file + ": a file, where a folder is needed").doesNotContain("\n")
                .doesNotContain("internal error");
    }

    @Test
    void aFileWhereARunFolderGoesIsAUserError(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("protocol");
        Files.createDirectories(out.resolve("default"));
        Path blocker = Files.writeString(out.resolve("default").resolve("seed-1"), "x");
        CliTest.Result r = accuracy(idx(tmp.resolve("idx")), out);
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip()).startsWith("cnn-mnist: error: " + blocker).doesNotContain("\n")
                .doesNotContain("internal error");
        assertThat(Files.readString(blocker)).isEqualTo("x");
    }
}
