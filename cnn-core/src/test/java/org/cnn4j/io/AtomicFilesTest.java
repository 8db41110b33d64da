package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    /** A write that fails half-way (as on a full disk) leaves the old bytes and no temporary file. */
    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.cnn4j");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[1 << 17]);
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    /** A rename that fails (the target is a non-empty folder) leaves the target and no temporary file. */
    @Test
    void aRenameThatFailsLeavesTheTargetAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("model.cnn4j"));
        Files.write(target.resolve("inside"), new byte[] {7});
        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1})).isInstanceOf(IOException.class);
        assertThat(Files.readAllBytes(target.resolve("inside"))).containsExactly(7);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
