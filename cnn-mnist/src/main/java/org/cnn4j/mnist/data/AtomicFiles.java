package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.cnn4j.mnist.InputException;

/**
 * cnn-core's {@link org.cnn4j.io.AtomicFiles} (temporary sibling, fsync, atomic rename) for the
 * pipeline's outputs: a failure becomes an {@link InputException} whose one line names the file.
 */
public final class AtomicFiles {
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
        org.cnn4j.io.AtomicFiles.write(target, content::writeTo);
    }

    private static Path directoryOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        return parent != null ? parent : target.toAbsolutePath();
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
