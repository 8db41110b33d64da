package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesReplacesAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("sub/dir/history.csv");
        ReportFiles.writeString("one\n", f);
        assertThat(f).hasContent("one");
        ReportFiles.writeString("two\n", f);
        assertThat(f).hasContent("two");
        Pngs.assertNoTempFiles(f.getParent());
    }

    @Test
    void reportsGetOrdinaryPermissionsNotOwnerOnly() throws Exception {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("report.png");
        ReportFiles.writePng(Canvas.blank(3, 3), f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
    }

    @Test
    void anUnwritablePlaceIsAnInputErrorNamingTheFile() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        Path target = blocker.resolve("curves.png");
        assertThatThrownBy(() -> ReportFiles.writePng(Canvas.blank(2, 2), target))
                .isInstanceOf(InputException.class)
                .hasMessage(target + ": cannot write: FileAlreadyExists: " + blocker);
        Pngs.assertNoTempFiles(dir);
    }
}
