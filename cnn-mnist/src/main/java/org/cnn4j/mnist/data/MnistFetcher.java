package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.cnn4j.mnist.InputException;

/**
 * Puts verified, uncompressed IDX files into a cache directory. For each file it tries, in order:
 * the cache itself, then each {@link DataSource}. Whatever a source delivers is streamed into a
 * temporary file in the cache directory while its SHA-256 is computed; only a file whose hash
 * matches the expected one is renamed into place (atomically), anything else is deleted and the
 * next source is tried. So the cache never holds an unverified or half-written file, and two
 * processes fetching at once at worst both download.
 *
 * <pre>{@code
 * FetchResult r = new MnistFetcher(System.err::println)
 *         .fetch(IdxDataset.MNIST, IdxDataset.MNIST.defaultCacheDir(), IdxDataset.MNIST.defaultSources());
 * LabeledImages train = IdxDataset.MNIST.loadTrain(r.directory());
 * }</pre>
 */
public final class MnistFetcher {
    /** Larger downloads are abandoned: the largest IDX file is 47 MB, a mirror sending more is wrong. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private final Consumer<String> progress;

    /** A fetcher that reports nothing. */
    public MnistFetcher() {
        this(line -> { });
    }

    /** A fetcher that reports one line per step (cache hit, source tried, failure, file stored). */
    public MnistFetcher(Consumer<String> progress) {
        this.progress = progress;
    }

    /** As {@link #fetch(Map, Path, List)} with the data set's compiled-in hashes. */
    public FetchResult fetch(IdxDataset dataset, Path cacheDir, DataSource... sources) {
        return fetch(dataset.sha256(), cacheDir, Arrays.asList(sources));
    }

    /** As {@link #fetch(Map, Path, List)} with the data set's compiled-in hashes. */
    public FetchResult fetch(IdxDataset dataset, Path cacheDir, List<? extends DataSource> sources) {
        return fetch(dataset.sha256(), cacheDir, sources);
    }

    /**
     * Makes sure that {@code cacheDir} holds every file of {@code expectedSha256} with that hash.
     * The sources are closed before this returns.
     *
     * @param expectedSha256 file name to lower-case hex SHA-256 of its uncompressed content
     * @return which source served each file
     * @throws InputException if the cache directory cannot be created, or no source can provide a
     *     file with the right hash (the message names the file and what each source said)
     */
    public FetchResult fetch(Map<String, String> expectedSha256, Path cacheDir, List<? extends DataSource> sources) {
        try {
            createDirectory(cacheDir);
            Map<String, String> servedBy = new LinkedHashMap<>();
            for (Map.Entry<String, String> file : expectedSha256.entrySet()) {
                servedBy.put(file.getKey(), fetchOne(file.getKey(), file.getValue().toLowerCase(Locale.ROOT),
                        cacheDir, sources));
            }
            return new FetchResult(cacheDir, servedBy);
        } finally {
            for (DataSource source : sources) {
                try {
                    source.close();
                } catch (Exception e) {
                    progress.accept("could not clean up after " + source.description() + ": " + e.getMessage());
                }
            }
        }
    }

    private static void createDirectory(Path cacheDir) {
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new InputException(cacheDir + ": cannot create the data cache directory: "
                    + OutputFiles.describe(e), e);
        }
    }

    /** Returns the description of the source that served the file. */
    private String fetchOne(String name, String expected, Path cacheDir, List<? extends DataSource> sources) {
        Path target = cacheDir.resolve(name);
        List<String> failures = new ArrayList<>();
        if (Files.isRegularFile(target)) {
            String actual = hashOf(target);
            if (expected.equals(actual)) {
                progress.accept(name + ": from " + FetchResult.CACHE + " " + cacheDir);
                return FetchResult.CACHE;
            }
            // Not deleted here: a verified download replaces it atomically below.
            progress.accept(name + ": cached copy has sha256 " + actual + ", expected " + expected + "; fetching again");
            failures.add(FetchResult.CACHE + ": wrong sha256");
        } else {
            failures.add(FetchResult.CACHE + ": not there");
        }
        for (DataSource source : sources) {
            progress.accept(name + ": trying " + source.description());
            try {
                long bytes = store(source, name, expected, target);
                progress.accept(name + ": stored " + bytes + " bytes from " + source.description()
                        + " (sha256 verified)");
                return source.description();
            } catch (IOException | UncheckedIOException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                progress.accept(name + ": " + source.description() + " failed: " + reason);
                failures.add(source.description() + ": " + reason);
            }
        }
        throw new InputException("cannot fetch " + name + " into " + cacheDir + " (" + String.join("; ", failures) + ")");
    }

    /** Streams one download into the cache, verified; returns its size. */
    private static long store(DataSource source, String name, String expected, Path target) throws IOException {
        long[] size = new long[1];
        org.cnn4j.io.AtomicFiles.write(target, out -> {
            MessageDigest digest = sha256();
            try (InputStream in = new DigestInputStream(source.open(name), digest)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    size[0] += n;
                    if (size[0] > MAX_FILE_BYTES) {
                        throw new IOException("more than " + (MAX_FILE_BYTES >> 20) + " MiB, not an IDX file of this data set");
                    }
                    out.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                // Thrown inside the atomic write, so the temporary file is deleted, never renamed.
                throw new IOException("rejected: sha256 " + actual + " of " + size[0] + " bytes, expected " + expected);
            }
        });
        return size[0];
    }

    /** The SHA-256 of a file, or a marker that matches no hash if it cannot be read. */
    private static String hashOf(Path file) {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            return "(unreadable: " + OutputFiles.describe(e) + ")";
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
