package org.cnn4j.mnist.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

import org.cnn4j.mnist.InputException;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * half-written file: the bytes go to a temporary file in the target's directory (same file
 * system, so the rename is atomic), which is flushed to disk and then renamed over the target.
 * On any failure the temporary file is deleted and the target is left untouched.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out} (buffered; do not close it). */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically.
     *
     * @throws InputException if the file cannot be written (message names the file)
     */
    public static void write(Path target, Content content) {
        Path dir = directoryOf(target);
        if (!Files.isDirectory(dir)) {
            throw new InputException(target + ": cannot write: directory " + dir + " does not exist");
        }
        try {
            writeOrThrow(target, content);
        } catch (IOException e) {
            throw new InputException(target + ": cannot write: " + describe(e), e);
        }
    }

    /** As {@link #write}, but lets the caller handle the {@link IOException}. */
    static void writeOrThrow(Path target, Content content) throws IOException {
        Path dir = directoryOf(target);
        // Not Files.createTempFile: its owner-only permissions would stick to the final file, and a
        // shared data cache or a CSV for colleagues should get the permissions the umask gives.
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false;
        try {
            try (channel; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                // Without this a crash shortly after the rename can leave an empty file under the
                // final name on some file systems.
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static Path directoryOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        return parent != null ? parent : target.toAbsolutePath();
    }

    /** Makes the rename itself durable; best effort, since not every platform can open a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The content is already safe; only the rename's durability is at stake.
        }
    }

    /** A one-line description of an I/O failure, e.g. "no space left on device". */
    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return message == null ? kind : message.replaceAll("[\\r\\n]+", " ");
    }
}
