package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.serve.DigitServer;
import org.cnn4j.mnist.serve.Inference;
import org.cnn4j.mnist.serve.Json;
import org.cnn4j.model.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves the drawing page and a JSON prediction API until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a page to draw digits on and a JSON API (POST /api/predict) for a trained model.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--threads", paramLabel = "N", description = "Request threads (default: the number of cores, at least 2).")
    Integer threads;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new InputException("--port " + port + ": expected 0..65535");
        }
        int n = threads == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : threads;
        if (n < 1 || n > 256) {
            throw new InputException("--threads " + n + ": expected 1..256");
        }
        ModelFile.Loaded loaded = ModelLoader.loadDigit(model);
        Inference inference = new Inference(loaded.model());
        // one prediction before listening: the first one pays for JIT, thread pools and kernel set-up
        // (seconds on a busy machine), which should not be the first visitor's wait
        inference.predict(new float[28 * 28]);
        DigitServer server = new DigitServer(inference, modelJson(model, loaded));
        InetSocketAddress at;
        try {
            at = server.start(host, port, n);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new InputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        String shown = at.getAddress().isAnyLocalAddress() ? "localhost" : at.getHostString();
        System.out.println("Serving " + model + " on http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":"
                + at.getPort() + "/ (" + n + " threads; Ctrl-C stops)");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** What {@code GET /api/model} answers. */
    static String modelJson(Path file, ModelFile.Loaded loaded) {
        Sequential m = loaded.model();
        StringBuilder b = new StringBuilder("{\"file\": ").append(Json.quote(file.getFileName().toString()))
                .append(", \"params\": ").append(m.paramCount())
                .append(", \"input\": [1, 28, 28], \"classes\": 10")
                .append(", \"seed\": ").append(m.seedValue())
                .append(", \"inference\": ").append(Json.quote(
                        "in parallel: each request thread decodes, preprocesses and predicts, up to one prediction per "
                        + "core at once, each with its own inference copy of the layers over the shared weights"))
                .append(", \"summary\": ").append(Json.quote(m.summary()))
                .append(", \"training\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : ModelProvenance.of(loaded.metadata()).entrySet()) {
            b.append(first ? "" : ", ").append(Json.quote(e.getKey())).append(": ").append(Json.quote(e.getValue()));
            first = false;
        }
        return b.append("}}").toString();
    }
}
