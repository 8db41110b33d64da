package org.cnn4j.mnist.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.cnn4j.model.ModelZoo;
import org.junit.jupiter.api.Test;

/**
 * A JSON body is parsed into objects that cost tens of times its bytes: 8 MB of {@code {},{},...}
 * became 2.8 million maps, about 250 MB, so 16 such requests at once (16 threads: a 16-core
 * machine's default) ran the 640 MB heap out and the server died. A JSON body over
 * {@link DigitServer#MAX_JSON_BODY} is refused (413) before it is parsed; 784 numbers need ~20 KB.
 */
class JsonBodyMemoryTest {

    @Test
    void anOversizedJsonBodyIs413WithoutBeingParsed() throws Exception {
        DigitServer server = new DigitServer(new Inference(ModelZoo.digitRecognizer(1)), "{}");
        InetSocketAddress at = server.start("127.0.0.1", 0, 1);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI predict = URI.create("http://127.0.0.1:" + at.getPort() + "/api/predict");
            int n = (DigitServer.MAX_BODY - 20) / 3;
            byte[] body = ("{\"pixels\": [" + "{},".repeat(n - 1) + "{}]}").getBytes(StandardCharsets.US_ASCII);
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getTotalThreadAllocatedBytes();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long allocated = threads.getTotalThreadAllocatedBytes() - before;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.body()).startsWith("{\"error\": \"JSON body of ").contains("over the limit");
            // the body itself is read (and copied) a few times; parsing it was ~250 MB more
            assertThat(allocated).as("bytes allocated for one request").isLessThan(100L << 20);

            // a document of 784 numbers written long-hand, with spaces, still goes through
            StringBuilder b = new StringBuilder("{\n  \"pixels\": [\n");
            for (int i = 0; i < 784; i++) {
                b.append(i == 0 ? "    " : ",\n    ").append("0.30000000000000004");
            }
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(b.append("\n  ]\n}").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }
}
