package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.mnist.serve.Json;
import picocli.CommandLine.Option;

/**
 * Where a long command's words go: {@code --json} sends the progress to stderr and prints one JSON
 * object on stdout at the end (the command's result, the versions and the time taken), for scripts;
 * {@code --quiet} prints nothing but errors. Everything printed on {@link System#out} while the
 * command runs follows (library callbacks print there), so stdout holds nothing but the JSON.
 */
final class OutputOptions {
    @Option(names = "--json", description = "Progress on stderr; one JSON object on stdout at the end (metrics, files, versions, time).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the JSON of --json).")
    boolean quiet;

    /** A command's work: prints progress to {@code log}, returns its result for the JSON. */
    @FunctionalInterface
    interface Body {
        Map<String, Object> run(PrintStream log) throws IOException;
    }

    /** Runs {@code body} with the output routed as the options say; returns exit status 0. */
    int run(String command, Body body) throws IOException {
        PrintStream stdout = System.out;
        PrintStream log = quiet ? new PrintStream(OutputStream.nullOutputStream()) : json ? System.err : stdout;
        long start = System.nanoTime();
        Instant started = Instant.now();
        Map<String, Object> result;
        System.setOut(log);
        try {
            result = body.run(log);
        } finally {
            System.setOut(stdout);
        }
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("command", command);
            all.put("status", "ok");
            all.putAll(result);
            Map<String, Object> versions = new LinkedHashMap<>();
            versions.put("cnn-mnist", new Main.Version().getVersion()[0]);
            versions.put("java", Runtime.version().toString());
            versions.put("kernels", org.cnn4j.internal.kernels.Kernels.get().name());
            all.put("versions", versions);
            all.put("started", started.toString());
            all.put("seconds", (System.nanoTime() - start) / 1e9);
            stdout.println(Json.write(all));
            stdout.flush();
        }
        return 0;
    }
}
