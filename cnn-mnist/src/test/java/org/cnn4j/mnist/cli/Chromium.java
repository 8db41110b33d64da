package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless chromium, as a test opens a page with it. Missing chromium skips the test on a
 * developer's machine and fails it in CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
final class Chromium {
    private final String binary;

    private Chromium(String binary) {
        this.binary = binary;
    }

    static Chromium findOrSkip() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new Chromium(p.toString());
                }
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("chromium is missing in CI: .ci/run installs it (apt-get install -y chromium)");
        }
        Assumptions.abort("chromium is not installed (apt-get install -y chromium)");
        return null;
    }

    /** The page's DOM after loading, as chromium serialises it. */
    String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        return run(profile, List.of("--dump-dom", page.toUri().toString()));
    }

    /** A screenshot of the page at the given window size. */
    void screenshot(Path page, Path png, int width, int height, Path profile) throws IOException, InterruptedException {
        run(profile, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", page.toUri().toString()));
        assertThat(png).isRegularFile();
    }

    private String run(Path profile, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(args);
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + cmd);
        }
        assertThat(p.exitValue()).as("chromium exit status").isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
