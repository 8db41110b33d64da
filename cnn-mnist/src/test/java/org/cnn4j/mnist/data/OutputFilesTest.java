package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    private static void write(Path target, String text) {
        OutputFiles.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path target = dir.resolve("out.csv");

        write(target, "old");
        write(target, "new");

        assertThat(target).hasContent("new");
        assertThat(filesInDir()).isEqualTo(1);
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.csv");
        write(target, "old");

        assertThatThrownBy(() -> OutputFiles.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(InputException.class).hasMessage(target + ": cannot write: disk full");

        assertThat(target).hasContent("old");
        assertThat(filesInDir()).isEqualTo(1);
    }

    @Test
    void everyWriteFailureIsWordedTheSameWay() {
        Path target = dir.resolve("checkpoint.cnn4j");

        assertThat(OutputFiles.cannotWrite(target, new IOException("File too large")))
                .hasMessage(target + ": cannot write: File too large");
        assertThat(OutputFiles.cannotWrite(target, new IOException("No space\nleft"), "the previous checkpoint is unchanged"))
                .hasMessage(target + ": cannot write: No space left; the previous checkpoint is unchanged");
        assertThat(OutputFiles.cannotWrite(target, new java.nio.file.AccessDeniedException(target.toString())))
                .hasMessage(target + ": cannot write: permission denied");
        assertThat(OutputFiles.cannotWrite(target, new java.nio.file.FileSystemException("a.tmp", target.toString(),
                "Operation not permitted"))).hasMessage(target + ": cannot write: a.tmp -> " + target + ": Operation not permitted");
        assertThat(OutputFiles.cannotWrite(target, new java.nio.file.FileAlreadyExistsException("out")))
                .hasMessage(target + ": cannot write: FileAlreadyExists: out");
    }

    /**
     * One rule for every output: missing folders are created (train --out, export --onnx and
     * evaluate --report did; submit and preview --out refused). The check before any work creates
     * nothing, and refuses a file on the way or an unwritable folder.
     */
    @Test
    void createsMissingFoldersAndChecksThemWithoutCreatingThem() throws IOException {
        Path target = dir.resolve("no/such/dir/out.csv");

        OutputFiles.checkWritable(target);
        assertThat(dir.resolve("no")).doesNotExist();
        write(target, "x");
        assertThat(target).hasContent("x");

        Path file = Files.writeString(dir.resolve("a-file"), "keep");
        Path under = file.resolve("sub/out.csv");
        assertThatThrownBy(() -> OutputFiles.checkWritable(under))
                .isInstanceOf(InputException.class)
                .hasMessage(under + ": cannot write: " + file + " is not a folder");
        assertThatThrownBy(() -> write(under, "x")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(under + ": cannot write: ");
        assertThat(file).hasContent("keep");
    }
}
