package org.cnn4j.mnist.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.cnn4j.model.ModelZoo;
import org.junit.jupiter.api.Test;

/**
 * The JDK server hands a context every path that starts with its own ("/healthzx", "/api/model/x");
 * the server answers only its exact paths and 404 for the rest, as its Javadoc says. An untrained
 * model will do: nothing here predicts.
 */
class DigitServerPathsTest {

    @Test
    void onlyTheExactPathsAnswerAndTheRestIs404() throws Exception {
        DigitServer server = new DigitServer(new Inference(ModelZoo.digitRecognizer(1)), "{\"params\": 1}");
        InetSocketAddress at = server.start("127.0.0.1", 0, 1);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + at.getPort() + "/");
            for (String path : new String[] {"/healthzx", "/healthz/", "/healthz/anything", "/api/modelx", "/api/model/x",
                "/api/predictx", "/nope"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path + " answered " + r.body()).isEqualTo(404);
                assertThat(r.body()).startsWith("{\"error\": \"no such page: " + path);
            }
            for (String path : new String[] {"/healthz", "/api/model", "/"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            server.stop();
        }
    }
}
