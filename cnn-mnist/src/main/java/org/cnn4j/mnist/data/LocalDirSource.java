package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A directory holding the IDX files as {@code <file>.gz} or {@code <file>}: for example
 * {@code /usr/share/datasets/fashion-mnist/}, where the Debian package
 * {@code dataset-fashion-mnist} installs them, or a copy brought on a USB stick.
 */
public final class LocalDirSource implements DataSource {
    private final Path dir;

    /** A source reading from {@code dir}. */
    public LocalDirSource(Path dir) {
        this.dir = dir;
    }

    @Override
    public String description() {
        return dir.toString();
    }

    @Override
    public InputStream open(String fileName) throws IOException {
        for (Path candidate : new Path[] {dir.resolve(fileName + ".gz"), dir.resolve(fileName)}) {
            if (Files.isRegularFile(candidate)) {
                return Gzip.decompressIfGzip(Files.newInputStream(candidate));
            }
        }
        throw new NoSuchFileException(dir.resolve(fileName) + "(.gz): no such file");
    }
}
