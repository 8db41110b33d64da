package org.cnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a
 * half-written file: the bytes go to a temporary file in the same folder, are forced to disk, the
 * temporary file is then renamed over the target, and the folder is forced to disk too. On any
 * failure (no space, a read-only folder) the target keeps its old bytes and the temporary file is
 * removed.
 *
 * <p>A target that exists and is not a regular file is never renamed over: a symbolic link to a
 * regular file keeps its link (the file it points to is replaced atomically), a character device or
 * a FIFO ({@code /dev/null}, a named pipe) is written into directly, as a shell redirection would,
 * a file descriptor ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/fd/N}) is appended to
 * whatever it is (a terminal, a pipe, or the file a shell redirected it to), and a folder, a block
 * device, a socket or a dangling link is refused.
 *
 * <p>Temporary files are named {@code .<name>.<pid>-<random>.tmp} after the writing process, so
 * that {@link #removeStaleTemporaryFiles(Path)} can tell a killed writer's leftovers from the file
 * another process is writing right now.
 */
public final class AtomicFiles {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    /** What writes the file's contents. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes everything to {@code out}; need not close it.
         *
         * @param out the stream to write to
         * @throws IOException if writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes. On failure the target is untouched.
     *
     * @param target the file to replace
     * @param writer writes the new content
     * @throws IOException if writing or the final move fails
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isSymbolicLink(abs) || Files.exists(abs)) {
            int fd = fileDescriptor(abs);
            if (fd >= 0) {
                writeToDescriptor(abs, fd, writer);
                return;
            }
            if (!Files.isRegularFile(abs)) {
                writeInPlace(target, abs, writer);
                return;
            }
            abs = abs.toRealPath(); // a link to a regular file: replace the file, keep the link
        }
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Not Files.createTempFile: its owner-only permissions would stick to the final file, and a
        // model, a report or a data cache should get the permissions the umask gives.
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    private static final java.util.regex.Pattern FD = java.util.regex.Pattern.compile(
            "/(?:proc/(?:self|thread-self|" + ProcessHandle.current().pid() + ")|dev)/fd/(\\d{1,9})");

    /**
     * The descriptor number when {@code abs} is, or links through, a descriptor of this process
     * ({@code /dev/stdout -> /proc/self/fd/1}); 0 for another {@code /proc} path; else -1.
     */
    private static int fileDescriptor(Path abs) throws IOException {
        Path p = abs;
        for (int hop = 0; hop < 40; hop++) {
            String s = p.toString();
            var m = FD.matcher(s);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
            if (s.startsWith("/proc/")) {
                return 0;
            }
            if (!Files.isSymbolicLink(p)) {
                return -1;
            }
            Path t = Files.readSymbolicLink(p);
            p = t.isAbsolute() ? t : p.getParent().resolve(t);
        }
        return -1;
    }

    /**
     * Writes to a descriptor of this process: stdout and stderr through the process's own
     * descriptors, so that a file the shell redirected them to gets the bytes at its current
     * position (opening the path anew would start a second file position that later output
     * overwrites); any other descriptor is opened and appended to.
     */
    private static void writeToDescriptor(Path abs, int fd, Writer writer) throws IOException {
        if (fd == 1 || fd == 2) {
            java.io.PrintStream std = fd == 1 ? System.out : System.err;
            std.flush();
            // not closed: that would close the process's stdout
            OutputStream out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(
                    fd == 1 ? java.io.FileDescriptor.out : java.io.FileDescriptor.err), 1 << 16);
            writer.write(out);
            out.flush();
            return;
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(abs,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), 1 << 16)) {
            writer.write(out);
        }
    }

    /**
     * Writes into an existing target that is not a regular file: a character device or a FIFO gets
     * the bytes directly (there is nothing to replace atomically); anything else is refused.
     */
    private static void writeInPlace(Path target, Path abs, Writer writer) throws IOException {
        String kind = specialKind(abs);
        if (kind != null) {
            throw new FileSystemException(target.toString(), null, kind + ", not a file to write");
        }
        try (OutputStream out = new java.io.BufferedOutputStream(
                Files.newOutputStream(abs, StandardOpenOption.WRITE), 1 << 16)) {
            writer.write(out);
        }
    }

    /** Why {@code p} (which exists or is a link, and is not a regular file) cannot be written into, or null if it can. */
    private static String specialKind(Path p) {
        if (!Files.exists(p)) {
            return "a dangling symbolic link";
        }
        if (Files.isDirectory(p)) {
            return "a folder";
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null; // no POSIX view: a special file of another kind of system, write into it
        }
        return switch (mode & 0170000) {
            case 0020000, 0010000 -> null; // character device, FIFO
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "not a regular file";
        };
    }

    /**
     * Deletes the temporary files that a killed write of {@code target} left in its folder: those
     * named {@code .<name>.<pid>-*.tmp} whose process no longer runs, and those of the older
     * {@code .<name>.<random>.tmp} form. A temporary file of a live process is kept.
     *
     * @param target the file whose leftovers to remove
     * @return how many files were deleted
     * @throws IOException if the folder cannot be listed or a leftover cannot be deleted
     */
    public static int removeStaleTemporaryFiles(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + abs.getFileName() + ".";
        int removed = 0;
        try (var files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : files) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (isLeftover(middle) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Whether the writer named by a temporary file's {@code <pid>-<random>} (or older {@code <random>}) part is gone. */
    private static boolean isLeftover(String middle) {
        int dash = middle.indexOf('-');
        if (dash < 0) {
            return middle.matches("[0-9a-z]{1,13}");
        }
        try {
            long pid = Long.parseLong(middle.substring(0, dash));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Forces the folder's entry for the renamed file to disk, so that after a power cut the name
     * points at the new content. Best effort: not every platform can open a folder for this.
     */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; the rename itself has still happened
        }
    }

    /**
     * Atomically replaces {@code target} with {@code bytes}.
     *
     * @param target the file to replace
     * @param bytes the new content
     * @throws IOException if writing or the final move fails
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }
}
