package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnn4j.mnist.data.IdxFixtures.gzip;
import static org.cnn4j.mnist.data.IdxFixtures.imagesFile;
import static org.cnn4j.mnist.data.IdxFixtures.labels;
import static org.cnn4j.mnist.data.IdxFixtures.labelsFile;
import static org.cnn4j.mnist.data.IdxFixtures.pixels;
import static org.cnn4j.mnist.data.IdxFixtures.sha256;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against mirrors served from this JVM on 127.0.0.1: good, corrupt, stalling, absent. */
class MnistFetcherTest {
    /** Small stand-ins for the four MNIST files; the fetcher only cares that their hashes match. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put(IdxDataset.TRAIN_IMAGES, imagesFile(pixels(6, 1)));
        FILES.put(IdxDataset.TRAIN_LABELS, labelsFile(labels(6, 0)));
        FILES.put(IdxDataset.TEST_IMAGES, imagesFile(pixels(2, 2)));
        FILES.put(IdxDataset.TEST_LABELS, labelsFile(labels(2, 5)));
    }

    @TempDir
    Path tmp;

    private Path cache;
    private HttpServer server;
    private ExecutorService handlers;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        cache = tmp.resolve("cache");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // One thread per exchange, so that a stalling handler does not block the others.
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/good/", exchange -> serve(exchange, "good", gzip(content(exchange, "/good/"))));
        server.createContext("/corrupt/", exchange -> {
            byte[] bytes = content(exchange, "/corrupt/").clone();
            bytes[bytes.length - 1] ^= 1; // a plausible file with one wrong byte
            serve(exchange, "corrupt", gzip(bytes));
        });
        server.createContext("/stall/", exchange -> {
            count("stall");
            byte[] gz = gzip(content(exchange, "/stall/"));
            exchange.sendResponseHeaders(200, gz.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(gz, 0, gz.length / 2);
                out.flush();
                Thread.sleep(30_000);
            } catch (InterruptedException | IOException e) {
                // The client hung up, as it should.
            }
        });
        server.createContext("/missing/", exchange -> {
            count("missing");
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        handlers.shutdownNow(); // wakes the stalling handlers
    }

    private static byte[] content(HttpExchange exchange, String prefix) {
        String path = exchange.getRequestURI().getPath();
        String name = path.substring(prefix.length()).replaceFirst("\\.gz$", "");
        byte[] bytes = FILES.get(name);
        if (bytes == null || !path.endsWith(".gz")) {
            throw new IllegalStateException("unexpected request " + path);
        }
        return bytes;
    }

    private void serve(HttpExchange exchange, String mirror, byte[] body) throws IOException {
        count(mirror);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void count(String mirror) {
        hits.computeIfAbsent(mirror, k -> new AtomicInteger()).incrementAndGet();
    }

    private int hits(String mirror) {
        AtomicInteger n = hits.get(mirror);
        return n == null ? 0 : n.get();
    }

    private HttpMirrorSource mirror(String path) {
        return new HttpMirrorSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path + "/"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(300));
    }

    private static Map<String, String> expectedHashes() {
        Map<String, String> hashes = new LinkedHashMap<>();
        FILES.forEach((name, bytes) -> hashes.put(name, sha256(bytes)));
        return hashes;
    }

    private FetchResult fetch(DataSource... sources) {
        return new MnistFetcher(log::add).fetch(expectedHashes(), cache, List.of(sources));
    }

    private void assertCacheHoldsExactlyTheFiles() throws IOException {
        for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
            assertThat(cache.resolve(file.getKey())).hasBinaryContent(file.getValue());
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(FILES.keySet());
        }
    }

    @Test
    void fetchesGzippedFilesFromAMirrorAndCachesThemUncompressed() throws IOException {
        HttpMirrorSource good = mirror("good");

        FetchResult result = fetch(good);

        assertThat(result.directory()).isEqualTo(cache);
        assertThat(result.sources()).containsOnlyKeys(FILES.keySet());
        assertThat(result.sources().values()).containsOnly(good.description());
        assertThat(result.allFromCache()).isFalse();
        assertCacheHoldsExactlyTheFiles();
        assertThat(hits("good")).isEqualTo(4);
    }

    @Test
    void rejectsACorruptDownloadWithoutCachingItAndFallsThrough() throws IOException {
        HttpMirrorSource good = mirror("good");

        FetchResult result = fetch(mirror("corrupt"), good);

        assertThat(result.sources().values()).containsOnly(good.description());
        assertThat(hits("corrupt")).isEqualTo(4);
        assertThat(log).anyMatch(line -> line.startsWith(IdxDataset.TRAIN_LABELS + ": ")
                && line.contains("rejected: sha256"));
        assertCacheHoldsExactlyTheFiles();
    }

    @Test
    void failsNamingTheFileWhenNoSourceHasIt() throws IOException {
        HttpMirrorSource corrupt = mirror("corrupt");
        HttpMirrorSource missing = mirror("missing");

        assertThatThrownBy(() -> fetch(corrupt, missing))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("cannot fetch " + IdxDataset.TRAIN_IMAGES + " into " + cache
                        + " (cache: not there; " + corrupt.description() + ": rejected: sha256 ")
                .hasMessageEndingWith("; " + missing.description() + ": " + missing.description()
                        + IdxDataset.TRAIN_IMAGES + ".gz: HTTP 404)");
        // The rejected download left nothing behind, not even a temporary file.
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void servesFromTheCacheWithoutTouchingAnySource() throws IOException {
        fetch(mirror("good"));
        server.stop(0);
        DataSource forbidden = new DataSource() {
            @Override
            public String description() {
                return "forbidden";
            }

            @Override
            public InputStream open(String fileName) {
                throw new AssertionError("a verified cache must not go to the network, asked for " + fileName);
            }
        };

        FetchResult result = fetch(forbidden);

        assertThat(result.allFromCache()).isTrue();
        assertThat(result.sources().values()).containsOnly(FetchResult.CACHE);
        assertThat(result.file(IdxDataset.TEST_LABELS)).hasBinaryContent(FILES.get(IdxDataset.TEST_LABELS));
    }

    @Test
    void replacesACorruptCachedFile() throws IOException {
        fetch(mirror("good"));
        Files.write(cache.resolve(IdxDataset.TEST_IMAGES), new byte[] {1, 2, 3});
        hits.clear();
        HttpMirrorSource good = mirror("good");

        FetchResult result = fetch(good);

        assertThat(result.sources()).containsEntry(IdxDataset.TEST_IMAGES, good.description())
                .containsEntry(IdxDataset.TRAIN_IMAGES, FetchResult.CACHE);
        assertThat(hits("good")).isEqualTo(1);
        assertCacheHoldsExactlyTheFiles();
    }

    @Test
    void fallsThroughAnUnreachableMirrorQuickly() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DataSource unreachable = new HttpMirrorSource(URI.create("http://127.0.0.1:" + closedPort + "/mnist"));
        HttpMirrorSource good = mirror("good");
        long start = System.nanoTime();

        FetchResult result = fetch(unreachable, good);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.sources().values()).containsOnly(good.description());
        assertThat(log).anyMatch(line -> line.startsWith(IdxDataset.TRAIN_IMAGES + ": http://127.0.0.1:" + closedPort
                + "/mnist/ failed: http://127.0.0.1:" + closedPort + "/mnist/train-images-idx3-ubyte.gz: ConnectException"));
        // One connection attempt is enough to know; the other three files skip the mirror.
        assertThat(log).filteredOn(line -> line.contains("failed: not tried again, unreachable earlier: ")).hasSize(3);
    }

    @Test
    void abandonsAStallingMirror() throws IOException {
        HttpMirrorSource good = mirror("good");
        long start = System.nanoTime();

        FetchResult result = fetch(mirror("stall"), good);

        // Four files, each given up after a 300 ms pause, rather than waiting out 30 s stalls; the
        // bound is loose because the machine is shared.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(hits("stall")).isEqualTo(4);
        assertThat(result.sources().values()).containsOnly(good.description());
        assertThat(log).anyMatch(line -> line.contains("no data for 300 ms"));
        assertCacheHoldsExactlyTheFiles();
    }

    @Test
    void readsGzippedAndRawFilesFromALocalDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("usb"));
        for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
            // Two gzipped, two raw, as a partly unpacked copy would be.
            boolean gz = file.getKey().startsWith("train");
            Files.write(dir.resolve(file.getKey() + (gz ? ".gz" : "")), gz ? gzip(file.getValue()) : file.getValue());
        }

        FetchResult result = fetch(new LocalDirSource(dir));

        assertThat(result.sources().values()).containsOnly(dir.toString());
        assertCacheHoldsExactlyTheFiles();
    }

    @Test
    void closesTheSources() {
        AtomicInteger closed = new AtomicInteger();
        DataSource source = new LocalDirSource(tmp);
        DataSource counting = new DataSource() {
            @Override
            public String description() {
                return source.description();
            }

            @Override
            public InputStream open(String fileName) throws IOException {
                return source.open(fileName);
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };

        assertThatThrownBy(() -> fetch(counting)).isInstanceOf(InputException.class);
        assertThat(closed).hasValue(1);
    }

    @Test
    void createsNoCacheDirectoryWhereItCannot() throws IOException {
        Path blocker = Files.write(tmp.resolve("file"), new byte[0]);
        Path impossible = blocker.resolve("cache");

        assertThatThrownBy(() -> new MnistFetcher().fetch(expectedHashes(), impossible, List.of()))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(impossible + ": cannot create the data cache directory: ");
    }
}
