package org.cnn4j.mnist.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A Debian package fetched with {@code apt-get download} (no root needed, nothing installed) and
 * unpacked in-process from the plain tar that {@code dpkg-deb --fsys-tarfile} streams out, which
 * spares us an xz decoder. Used for {@value #FASHION_PACKAGE}, which ships the Fashion-MNIST
 * {@code .gz} files under {@value #FASHION_DIR}. Needs {@code apt-get} with current package lists
 * and {@code dpkg-deb}; elsewhere it fails at once and the next source is tried.
 */
public final class DebianPackageSource implements DataSource {
    /** The Debian package holding Fashion-MNIST (bookworm: version 0.0~git20200523.55506a9-1). */
    public static final String FASHION_PACKAGE = "dataset-fashion-mnist";
    /** Where that package installs {@code train-images-idx3-ubyte.gz} and the three others. */
    public static final String FASHION_DIR = "/usr/share/datasets/fashion-mnist/";
    /** Time allowed for each of {@code apt-get download} and unpacking. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final String packageName;
    private final String dirInPackage;
    private final Duration timeout;
    private Path workDir;
    private LocalDirSource unpacked;
    private IOException failure;

    /**
     * @param packageName the Debian package
     * @param dirInPackage the absolute directory, inside the package, that holds the files
     * @param timeout time allowed for each external step
     */
    public DebianPackageSource(String packageName, String dirInPackage, Duration timeout) {
        this.packageName = packageName;
        String dir = dirInPackage.startsWith("/") ? dirInPackage.substring(1) : dirInPackage;
        this.dirInPackage = dir.endsWith("/") ? dir : dir + "/";
        this.timeout = timeout;
    }

    /** {@value #FASHION_PACKAGE}. */
    public static DebianPackageSource fashionMnist() {
        return new DebianPackageSource(FASHION_PACKAGE, FASHION_DIR, DEFAULT_TIMEOUT);
    }

    @Override
    public String description() {
        return "apt-get download " + packageName;
    }

    @Override
    public synchronized InputStream open(String fileName) throws IOException {
        return unpack().open(fileName);
    }

    /** Downloads and unpacks once; a failure is remembered so that it is not retried per file. */
    private LocalDirSource unpack() throws IOException {
        if (unpacked != null) {
            return unpacked;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            Path aptGet = ExternalCommand.find("apt-get").orElseThrow(() -> new IOException("apt-get is not on the PATH"));
            Path dpkgDeb = ExternalCommand.find("dpkg-deb").orElseThrow(() -> new IOException("dpkg-deb is not on the PATH"));
            workDir = Files.createTempDirectory("cnn4j-deb-");
            ExternalCommand.run(List.of(aptGet.toString(), "download", packageName), workDir,
                    workDir.resolve("apt.log"), timeout);
            Path deb;
            try (Stream<Path> files = Files.list(workDir)) {
                deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download " + packageName + " produced no .deb"));
            }
            Path out = Files.createDirectory(workDir.resolve("files"));
            extract(dpkgDeb, deb, out);
            unpacked = new LocalDirSource(out);
            return unpacked;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Copies the regular files directly under {@code dirInPackage} out of the package's data tar. */
    private void extract(Path dpkgDeb, Path deb, Path out) throws IOException {
        Process process = new ProcessBuilder(dpkgDeb.toString(), "--fsys-tarfile", deb.toString())
                .redirectError(workDir.resolve("dpkg-deb.log").toFile())
                .start();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isFile() && name.startsWith(dirInPackage)
                        && name.indexOf('/', dirInPackage.length()) < 0) {
                    Files.copy(tar, out.resolve(name.substring(dirInPackage.length())),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // Let dpkg-deb finish writing the tar's padding instead of blocking on a full pipe.
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("dpkg-deb --fsys-tarfile " + deb.getFileName() + ": no result within " + ExternalCommand.describe(timeout));
            }
            if (process.exitValue() != 0) {
                throw new IOException("dpkg-deb --fsys-tarfile " + deb.getFileName() + " failed (exit "
                        + process.exitValue() + ")" + ExternalCommand.lastLine(workDir.resolve("dpkg-deb.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("dpkg-deb interrupted");
        } finally {
            process.destroyForcibly();
        }
    }

    @Override
    public synchronized void close() {
        ExternalCommand.deleteTree(workDir);
        workDir = null;
        unpacked = null;
    }
}
