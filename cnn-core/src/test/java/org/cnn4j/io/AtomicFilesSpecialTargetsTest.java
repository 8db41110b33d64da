package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An atomic write never renames over something that is not a regular file (issue 11, defect 1):
 * a device node stays a device, a FIFO gets the bytes, a symbolic link stays a link. And the
 * leftovers of a killed writer are told apart from a live writer's temporary file.
 */
class AtomicFilesSpecialTargetsTest {
    static boolean run(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
    }

    static Object mode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void aCharacterDeviceIsWrittenIntoNotReplaced(@TempDir Path dir) throws Exception {
        Path node = dir.resolve("devnull");
        assumeTrue(run("mknod", node.toString(), "c", "1", "3"), "mknod needs root");
        Object before = mode(node);
        AtomicFiles.write(node, new byte[212_000]);
        assertThat(mode(node)).isEqualTo(before);
        assertThat(Files.isRegularFile(node, LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(node); // no temporary file
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFifoGetsTheBytes(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("out.fifo");
        assumeTrue(run("mkfifo", fifo.toString()), "mkfifo failed");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        AtomicFiles.write(fifo, "ImageId,Label\n1,7\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(reader.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("ImageId,Label\n1,7\n");
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    /** {@code --out /dev/stdout > file}: the shell's file must get the bytes, not be renamed over. */
    @Test
    void aFileDescriptorLinkIsAppendedToNotReplaced(@TempDir Path dir) throws Exception {
        Path redirected = Files.writeString(dir.resolve("stdout.txt"), "before\n");
        Object inode = Files.readAttributes(redirected, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        // a link like /dev/stdout -> /proc/self/fd/1, made with a descriptor of this JVM's own
        try (var ch = java.nio.channels.FileChannel.open(redirected, java.nio.file.StandardOpenOption.WRITE)) {
            Path fd = Path.of("/proc/self/fd");
            assumeTrue(Files.isDirectory(fd), "no /proc");
            Path mine = null;
            try (var fds = Files.list(fd)) {
                for (Path p : (Iterable<Path>) fds::iterator) {
                    try {
                        if (Files.isSameFile(p, redirected)) {
                            mine = p;
                        }
                    } catch (java.io.IOException e) {
                        // a descriptor that closed meanwhile
                    }
                }
            }
            assumeTrue(mine != null);
            Path link = Files.createSymbolicLink(dir.resolve("stdout"), Path.of("/proc/self/fd").resolve(mine.getFileName()));
            AtomicFiles.write(link, "1,7\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readAttributes(redirected, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(inode);
        assertThat(Files.readString(redirected)).isEqualTo("before\n1,7\n");
    }

    @Test
    void aLinkToAFileKeepsItsLinkAndTheFileIsReplaced(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real.getFileName());
        AtomicFiles.write(link, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
    }

    @Test
    void aFolderADanglingLinkAndASocketAreRefused(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertThatThrownBy(() -> AtomicFiles.write(folder, new byte[1])).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("a folder");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> AtomicFiles.write(dangling, new byte[1])).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("a dangling symbolic link");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        Path socket = dir.resolve("s.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> AtomicFiles.write(socket, new byte[1])).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("a socket");
        }
    }

    @Test
    void staleTemporaryFilesOfDeadWritersAreRemovedLiveOnesKept(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("submission.csv");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path deadTmp = Files.createFile(dir.resolve(".submission.csv." + dead.pid() + "-abc.tmp"));
        Path oldForm = Files.createFile(dir.resolve(".submission.csv.1x2y3z.tmp"));
        Process live = new ProcessBuilder("sleep", "30").start();
        try {
            Path liveTmp = Files.createFile(dir.resolve(".submission.csv." + live.pid() + "-abc.tmp"));
            Path other = Files.createFile(dir.resolve(".model.cnn4j." + dead.pid() + "-abc.tmp"));
            Files.setLastModifiedTime(deadTmp, FileTime.fromMillis(0));
            assertThat(AtomicFiles.removeStaleTemporaryFiles(target)).isEqualTo(2);
            assertThat(deadTmp).doesNotExist();
            assertThat(oldForm).doesNotExist();
            assertThat(liveTmp).exists();
            assertThat(other).exists();
        } finally {
            live.destroyForcibly();
        }
    }
}
