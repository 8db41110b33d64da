package org.cnn4j.mnist.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.cnn4j.model.ModelZoo;
import org.junit.jupiter.api.Test;

/**
 * Requests lease the heap they may take: without a budget, 64 threads decoding 64 large photos ran
 * a 640 MB heap out, and the OutOfMemoryError then failed whichever request allocated next
 * (valid images were answered 400 "cannot decode"). A request that cannot get its lease in time
 * is answered 503 with Retry-After, and the server goes on serving.
 */
class HeapBudgetTest {

    @Test
    void leasesAreWholeMibCutToTheBudgetAndGivenBack() throws Exception {
        HeapBudget b = new HeapBudget(10L << 20, 0);
        HeapBudget.Lease small = b.lease(1);
        assertThat(b.freeMib()).isEqualTo(9); // 1 byte is 1 MiB
        HeapBudget.Lease rest = b.lease(9L << 20);
        assertThat(rest).isNotNull();
        assertThat(b.lease(1)).as("nothing left, no wait").isNull();
        small.close();
        rest.close();
        assertThat(b.freeMib()).isEqualTo(10);
        try (HeapBudget.Lease huge = b.lease(1L << 40)) {
            assertThat(huge).as("more than the budget runs alone, not never").isNotNull();
            assertThat(b.freeMib()).isZero();
        }
        assertThat(b.freeMib()).isEqualTo(10);
    }

    @Test
    void imagesBeyondTheBudgetAre503WithRetryAfterAndTheServerGoesOnServing() throws Exception {
        // room for one image at a time and no wait: concurrent uploads beyond it must be refused, not fail
        HeapBudget one = new HeapBudget(DigitServer.IMAGE_DECODE_BYTES + (1L << 20) * 8, 0);
        DigitServer server = new DigitServer(new Inference(ModelZoo.digitRecognizer(1)), "{}", one);
        InetSocketAddress at = server.start("127.0.0.1", 0, 8);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + at.getPort() + "/");
            byte[] png = png(1500, 1500); // a few tens of ms to decode, so the uploads overlap
            // the heap taken by something else: every upload is refused at once, and GETs are still served
            try (HeapBudget.Lease all = one.lease(Long.MAX_VALUE)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/predict"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(base.resolve("/api/predict")).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            int ok = 0;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
                if (r.statusCode() == 503) {
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(r.body()).startsWith("{\"error\": \"busy: too many large requests at once");
                } else {
                    ok++;
                }
            }
            assertThat(ok).isPositive();
            assertThat(one.freeMib()).as("every lease given back").isEqualTo((int) ((DigitServer.IMAGE_DECODE_BYTES >> 20) + 8));
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(base.resolve("/api/predict"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as("alone, the same upload is served").isEqualTo(200);
        } finally {
            clients.shutdownNow();
            server.stop();
        }
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 31 + y * 17) & 0xff) * 0x010101);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
