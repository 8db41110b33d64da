package org.cnn4j.mnist.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cnn4j.mnist.MnistFixture;
import org.cnn4j.mnist.data.LabeledImages;

/**
 * Load harness for {@code serve} (a program, not a test): starts {@code java -jar cnn-mnist.jar serve}
 * on a loopback ephemeral port, sends a bounded number of {@code POST /api/predict} requests with
 * real MNIST test images as PNG files from a fixed number of client threads, and prints requests/s,
 * latency percentiles, errors, wrong digits and the server's peak RSS (VmHWM). Stops the server at
 * the end, and gives up after a deadline.
 *
 * <pre>
 * ./mvnw -B -q -o -pl cnn-mnist -am package -DskipTests      # the jar and the test classes
 * java -cp cnn-mnist/target/test-classes:cnn-mnist/target/cnn-mnist.jar \
 *     org.cnn4j.mnist.serve.LoadHarness cnn-mnist/target/cnn-mnist.jar MODEL 10000 8
 * </pre>
 */
public final class LoadHarness {
    private LoadHarness() {
    }

    /**
     * Runs the load.
     *
     * @param args jar, model file, requests (default 10000), client threads (default 8), server threads (default: its own)
     * @throws Exception when the server cannot be started
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path model = Path.of(args[1]);
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        if (requests < 1 || requests > 100_000 || clients < 1 || clients > 64) {
            throw new IllegalArgumentException("requests 1..100000 and clients 1..64");
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();

        LabeledImages test = MnistFixture.test();
        int distinct = 1_000;
        byte[][] pngs = new byte[distinct][];
        for (int i = 0; i < distinct; i++) {
            pngs[i] = ServeFixture.imageFile(test, i, "png", 1);
        }

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-jar", jar.toString(), "serve", "--model", model.toString(),
                "--port", "0"));
        if (args.length > 4) {
            cmd.addAll(List.of("--threads", args[4]));
        }
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && line.startsWith("WARNING")) {
                line = out.readLine();
            }
            if (line == null || !line.contains("http://")) {
                throw new IOException("the server did not start: " + line);
            }
            System.out.println("server: " + line);
            URI base = URI.create(line.substring(line.indexOf("http://"), line.indexOf('/', line.indexOf("http://") + 7) + 1));
            Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("server: " + l)));
            drain.setDaemon(true);
            drain.start();
            long pid = server.pid();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI predict = base.resolve("api/predict");
            // warm-up: JIT and the first allocations, not counted
            for (int i = 0; i < 200; i++) {
                http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofByteArray(pngs[i % distinct]))
                        .header("Content-Type", "image/png").build(), HttpResponse.BodyHandlers.ofString());
            }

            AtomicInteger next = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            AtomicLong bytes = new AtomicLong();
            long[] latency = new long[requests];
            ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(clients);
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int k; (k = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                            int img = k % distinct;
                            long s = System.nanoTime();
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).timeout(Duration.ofSeconds(30))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(pngs[img]))
                                        .header("Content-Type", "image/png").build(), HttpResponse.BodyHandlers.ofString());
                                latency[k] = System.nanoTime() - s;
                                bytes.addAndGet(pngs[img].length);
                                if (r.statusCode() != 200) {
                                    errors.incrementAndGet();
                                    if (firstErrors.size() < 5) {
                                        firstErrors.add(r.statusCode() + " " + r.body());
                                    }
                                } else if (!r.body().startsWith("{\"digit\": " + test.label(img) + ",")) {
                                    wrong.incrementAndGet();
                                }
                            } catch (IOException e) {
                                latency[k] = System.nanoTime() - s;
                                errors.incrementAndGet();
                                if (firstErrors.size() < 5) {
                                    firstErrors.add(e.toString());
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
                t.start();
            }
            done.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            int sent = Math.min(next.get(), requests);
            long[] lat = Arrays.stream(latency, 0, sent).filter(v -> v > 0).sorted().toArray();
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            String hwm = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
            System.out.printf(Locale.ROOT, "requests: %d at concurrency %d in %.2f s (deadline %s)%n", sent, clients, seconds,
                    sent < requests ? "HIT" : "not hit");
            System.out.printf(Locale.ROOT, "throughput: %.1f requests/s (%.1f MB/s of PNG in)%n", sent / seconds,
                    bytes.get() / seconds / 1e6);
            System.out.printf(Locale.ROOT, "latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    pct(lat, 50), pct(lat, 90), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "errors: %d; wrong digits: %d of %d (%.2f%%)%n", errors.get(), wrong.get(), sent,
                    100.0 * wrong.get() / Math.max(1, sent));
            System.out.println("server peak RSS: " + hwm);
            firstErrors.forEach(e -> System.out.println("error: " + e));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)] / 1e6;
    }
}
