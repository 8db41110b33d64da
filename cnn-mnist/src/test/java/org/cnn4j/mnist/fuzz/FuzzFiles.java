package org.cnn4j.mnist.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch folder per fuzzing JVM: the parsers under test read files, so each input is written to one first. */
final class FuzzFiles {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("cnn4j-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(DIR)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(DIR);
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }));
    }

    private FuzzFiles() {
    }

    /** Writes {@code bytes} to the scratch file {@code name} and returns its path. */
    static Path write(String name, byte[] bytes) {
        Path p = DIR.resolve(name);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
