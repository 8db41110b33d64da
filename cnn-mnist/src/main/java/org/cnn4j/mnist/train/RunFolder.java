package org.cnn4j.mnist.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.OutputFiles;

/**
 * A run folder held by one {@code train} for the whole run: an exclusive lock on its
 * {@value #LOCK} file (an OS file lock, released by the kernel when the process dies, however it
 * dies), whose content names the holder. Two runs started into one {@code --out} a moment apart
 * used to both pass the "holds a run already" check and overwrite each other; now the second is
 * refused before it reads any data, with the first one's pid.
 *
 * <p>A fresh run that fails before its first epoch is over {@link #discard() removes} what it
 * wrote, and the folder if it made it, so a failure leaves no half-run folder that would refuse
 * both a new run and {@code --resume}.
 */
public final class RunFolder implements AutoCloseable {
    /** The lock file in the run folder; it stays (deleting it would let a third run lock a new file). */
    public static final String LOCK = ".lock";
    /** Every file a run writes in its folder. */
    public static final List<String> FILES = List.of(Checkpoint.FILE, "model.cnn4j", "history.csv", "curves.png",
            "preview.png", "confusion_matrix.png", "misclassified.png");

    private final Path dir;
    private final boolean created;
    private final FileChannel channel;
    private final FileLock lock;
    /** The run files that were in the folder when it was locked: {@link #discard()} keeps them. */
    private final List<String> before;

    private RunFolder(Path dir, boolean created, FileChannel channel, FileLock lock) {
        this.before = FILES.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
        this.dir = dir;
        this.created = created;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed, checks that it can be written, and locks it.
     *
     * @param dir the run folder
     * @param what what the caller is, for the holder's description ("train --out runs/a")
     * @return the held folder; close it to release the lock
     * @throws InputException if the folder cannot be made or written, or another run holds it
     */
    public static RunFolder lock(Path dir, String what) {
        boolean created = !Files.exists(dir);
        Reports.prepareOutputDir(dir);
        Path file = dir.resolve(LOCK);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(file, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM (a test running two commands in one process)
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InputException(file + ": cannot lock the run folder: " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            for (int i = 0; i < 40 && holder.equals(UNKNOWN); i++) {
                sleep(); // the holder took the lock a moment ago and is writing its name
                holder = holder(ch);
            }
            closeQuietly(ch);
            throw new InputException(dir + " is in use by another run (" + holder + "): wait for it to end, or "
                    + "choose another --out");
        }
        try {
            String parent = System.getProperty("cnn4j.parentPid"); // set in a relaunched JVM: the pid the user sees
            byte[] who = ("pid " + ProcessHandle.current().pid() + (parent == null ? "" : " (java -jar pid " + parent + ")")
                    + ", " + what + ", started "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(who), 0);
        } catch (IOException e) {
            // the lock holds without the description; a second run then says "holder unknown"
        }
        return new RunFolder(dir, created, ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(300);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            s = s.lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
            return s.isEmpty() ? UNKNOWN : s;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    private static final String UNKNOWN = "holder unknown";

    private static void sleep() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes what a fresh run wrote (the run files that were not there when it locked the folder,
     * temporary files, and the folder if this run made it and nothing else is in it), then releases the lock. For a run that failed before
     * finishing its first epoch: nothing in it is worth resuming.
     */
    public void discard() {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                boolean ours = FILES.contains(n) && !before.contains(n) || FILES.stream().anyMatch(f -> n.startsWith("." + f + ".") && n.endsWith(".tmp"));
                if (ours && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // best effort: the error that made the run fail is the one to report
        }
        if (created) {
            try {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.deleteIfExists(dir); // only if empty
            } catch (IOException e) {
                // something else is in it: leave it
            }
        }
        close();
    }

    /** Releases the lock (the lock file stays). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the channel closes next, which releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
