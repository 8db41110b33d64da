package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.MnistFixture;
import org.cnn4j.mnist.serve.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s mistakes before it listens (one line, exit 2) and what {@code GET /api/model} says. */
class ServeCommandTest {
    @Test
    void mistakesAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        CliTest.Result missing = CliTest.cli("serve", "--model", dir.resolve("nope.cnn4j").toString(), "--port", "0");
        assertThat(missing.status()).isEqualTo(Main.USER_ERROR);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("nope.cnn4j: no such model file");

        Path model = dir.resolve("m.cnn4j");
        ModelFile.save(org.cnn4j.model.ModelZoo.digitRecognizer(3).build(), model);
        CliTest.Result port = CliTest.cli("serve", "--model", model.toString(), "--port", "70000");
        assertThat(port.status()).isEqualTo(Main.USER_ERROR);
        assertThat(port.err().strip()).doesNotContain("\n").contains("--port 70000");

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliTest.Result busy = CliTest.cli("serve", "--model", model.toString(), "--port",
                    Integer.toString(taken.getLocalPort()));
            assertThat(busy.status()).isEqualTo(Main.USER_ERROR);
            assertThat(busy.err().strip()).doesNotContain("\n").contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void modelJsonSaysHowTheModelWasTrained() throws Exception {
        Path file = MnistFixture.smallModel();
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) Json.parse(ServeCommand.modelJson(file, ModelFile.loadWithMetadata(file)));
        assertThat(((Double) j.get("params")).longValue()).isEqualTo(ModelFile.load(file).paramCount());
        assertThat((String) j.get("summary")).contains("conv2d");
        // predictions run side by side now (Sequential.predict borrows a Predictor per call): the text must not say otherwise
        assertThat((String) j.get("inference")).startsWith("in parallel").doesNotContain("serialised")
                .doesNotContain("one prediction at a time");
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) j.get("training");
        assertThat(training).containsEntry("training_data", "mnist").containsEntry("training_data_name", "MNIST")
                .containsEntry("training_images_sha256", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    }
}
