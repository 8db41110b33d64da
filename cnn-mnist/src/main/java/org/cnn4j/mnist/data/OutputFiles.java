package org.cnn4j.mnist.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;

/**
 * cnn-core's {@link org.cnn4j.io.AtomicFiles} (temporary sibling, fsync, atomic rename) for the
 * pipeline's outputs: a failure becomes an {@link InputException} whose one line names the file.
 * Every write of cnn-mnist words its failure as {@link #cannotWrite cannotWrite} does:
 * {@code <file>: cannot write: <reason>} (the report files too, through
 * {@link org.cnn4j.mnist.report.ReportFiles}).
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Writes {@code target} atomically, creating its missing folders (as every output of the
     * command line does: {@code train --out runs/x}, {@code export --onnx out/m.onnx}, {@code submit
     * --out out/s.csv}).
     *
     * @param target  the output file
     * @param content writes the whole content (to a buffered stream it need not close)
     * @throws InputException if the file cannot be written (message names the file)
     */
    public static void write(Path target, org.cnn4j.io.AtomicFiles.Writer content) {
        try {
            org.cnn4j.io.AtomicFiles.write(target, content);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /**
     * Checks, before any work, that {@code target} can be written, and removes the temporary files
     * that an earlier write of it left when it was killed. A device, a FIFO or {@code /dev/stdout}
     * passes (it is written into); a folder does not. Missing folders pass (the write creates them,
     * nothing is created here) when the nearest existing one is a writable folder; a file on the
     * way ({@code model.cnn4j/out.csv}) or an unwritable folder does not.
     *
     * @param target the output file
     * @throws InputException naming the file and the reason
     */
    public static void checkWritable(Path target) {
        if (Files.isDirectory(target)) {
            throw new InputException(target + ": cannot write: it is a directory");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            return; // written into as it is; the write itself refuses a socket or a block device
        }
        Path dir = directoryOf(target);
        Path existing = dir;
        while (existing.getParent() != null && !Files.exists(existing) && !Files.isSymbolicLink(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new InputException(target + ": cannot write: " + existing + " is not a folder");
        }
        try {
            Path probe = Files.createTempFile(existing, ".write-test", ".tmp");
            Files.delete(probe);
            if (existing.equals(dir)) {
                org.cnn4j.io.AtomicFiles.removeStaleTemporaryFiles(target);
            }
        } catch (IOException e) {
            throw new InputException(target + ": cannot write: " + reason(e), e); // the probe's name is noise
        }
    }

    /**
     * The error for a file that could not be written, one line: {@code <file>: cannot write: <reason>},
     * e.g. {@code out/history.csv: cannot write: No space left on device}.
     */
    public static InputException cannotWrite(Path file, IOException cause) {
        return new InputException(file + ": cannot write: " + describe(cause), cause);
    }

    /**
     * As {@link #cannotWrite(Path, IOException)}, followed by what the failure left as it was:
     * {@code <file>: cannot write: <reason>; <unchanged>}, e.g. {@code ...; the previous checkpoint is unchanged}.
     */
    public static InputException cannotWrite(Path file, IOException cause, String unchanged) {
        return new InputException(file + ": cannot write: " + describe(cause) + "; " + unchanged, cause);
    }

    /**
     * The reason of an I/O failure, one line, without the path the caller names anyway:
     * "Read-only file system", "Operation not permitted", "permission denied".
     *
     * @param cause the failure
     * @return its reason
     */
    public static String reason(IOException cause) {
        if (cause instanceof FileSystemException fs && fs.getReason() != null && !(cause instanceof AccessDeniedException)) {
            // "runs/a/.write-test1.tmp: Read-only file system" names a file the caller does not; keep the reason
            return fs.getReason().replaceAll("[\\r\\n]+", " ");
        }
        return describe(cause);
    }

    private static Path directoryOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        return parent != null ? parent : target.toAbsolutePath();
    }

    /**
     * A one-line description of an I/O failure, e.g. "No space left on device". A file-system error
     * without a reason, whose message is only the path, is prefixed with its kind (e.g.
     * "FileAlreadyExists: out/report", a file where a folder should be).
     */
    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (message == null) {
            return kind;
        }
        String line = message.replaceAll("[\\r\\n]+", " ");
        return e instanceof FileSystemException fs && fs.getReason() == null
                ? kind.replace("Exception", "") + ": " + line : line;
    }
}
