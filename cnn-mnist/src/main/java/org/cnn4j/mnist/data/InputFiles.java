package org.cnn4j.mnist.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cnn4j.mnist.InputException;

/**
 * Checks made on an input file before its content is trusted with time or memory: it must be a
 * regular file (a FIFO blocks for ever, {@code /dev/zero} never ends), and what it claims to hold
 * must fit in the heap. Each failure is one line that says what to do.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Refuses a path that exists and is not a regular file (following links). A missing file
     * passes, so that the reader reports it in its own words.
     *
     * @param file the input
     * @param expected what it should be, e.g. "a CSV file"
     * @throws InputException if {@code file} is a folder, a device, a FIFO or a socket
     */
    public static void requireRegularFile(Path file, String expected) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, expected " + expected);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new InputException(file + ": not a regular file (a device, FIFO or socket), expected " + expected);
        }
    }

    /**
     * Refuses to allocate {@code bytes} for {@code what} when they would not fit in the heap that
     * is still free, with the {@code -Xmx} that would do.
     *
     * @param file the input that asks for the memory
     * @param bytes the bytes about to be allocated (all copies included)
     * @param what what they hold, e.g. "900,000 images of 28x28"
     * @throws InputException if the heap cannot hold them
     */
    public static void requireHeap(Path file, long bytes, String what) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            long suggest = (rt.maxMemory() + bytes + (1L << 30) - 1) >> 30;
            throw new InputException(String.format(Locale.ROOT, "%s: %s need about %,d MB, but only %,d MB of the %,d MB "
                    + "heap are free: give the JVM more (java -Xmx%dg -jar ...) or use a smaller file", file, what,
                    bytes >> 20, free >> 20, rt.maxMemory() >> 20, suggest));
        }
    }
}
