package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.cnn4j.mnist.kaggle.KaggleStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kaggle round trip as a user runs it, each command in a JVM of its own with a fresh home
 * folder holding only a kaggle.json: {@code fetch --kaggle}, {@code train --kaggle --json},
 * {@code submit --kaggle -m}, against the loopback stand-in (only the base URL differs from the real
 * API). The run's {@code report.html} is then opened in headless chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KaggleEndToEndTest {
    Path tmp;
    Path home, cache, run;
    KaggleStandIn kaggle;

    record Result(int status, String out, String err) {
    }

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        tmp = dir;
        // 28,000 test rows: submit --kaggle checks the row count of Kaggle's test.csv
        kaggle = new KaggleStandIn(KaggleStandIn.digitRecognizerZip(600, 28_000));
        home = tmp.resolve("home");
        cache = tmp.resolve("cache");
        run = tmp.resolve("run");
        Files.createDirectories(home.resolve(".kaggle"));
        Path json = home.resolve(".kaggle/kaggle.json");
        Files.writeString(json, "{\"username\":\"" + KaggleStandIn.USER + "\",\"key\":\"" + KaggleStandIn.KEY + "\"}");
        Files.setPosixFilePermissions(json, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    void stop() {
        kaggle.close();
    }

    Result cnn(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Xmx1g",
                "-Duser.home=" + home, "-Dcnn4j.kaggle.api=" + kaggle.base(), "-Dcnn4j.kaggle.cache=" + cache,
                "-cp", System.getProperty("java.class.path"), "org.cnn4j.mnist.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KAGGLE_") || k.equals("NO_COLOR"));
        pb.environment().put("CNN4J_NO_RELAUNCH", "1");
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(extraEnv);
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cnn-mnist " + String.join(" ", args) + " did not finish in 300 s");
        }
        // the JVM's own notice about the incubator module is not the command's output
        String errText = Files.readString(err).lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .map(l -> l + "\n").reduce("", String::concat);
        return new Result(p.exitValue(), Files.readString(out), errText);
    }

    @Test
    @Order(1)
    void fetchWithoutCredentialsSaysWhereToGetThem() throws Exception {
        Result r = cnn(Map.of("KAGGLE_CONFIG_DIR", tmp.resolve("nowhere").toString()), "fetch", "--kaggle");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly("cnn-mnist: error: no Kaggle credentials: download kaggle.json "
                + "from https://www.kaggle.com/settings (API: Create New Token) and put it in "
                + tmp.resolve("nowhere").resolve("kaggle.json") + " (chmod 600), or set KAGGLE_USERNAME and KAGGLE_KEY");
        assertThat(kaggle.requests).isEmpty();
    }

    @Test
    @Order(2)
    void fetchKaggleCachesTheThreeFiles() throws Exception {
        Result r = cnn(Map.of(), "fetch", "--kaggle");
        assertThat(r.status()).as(r.err()).isZero();
        for (String f : List.of("train.csv", "test.csv", "sample_submission.csv")) {
            assertThat(cache.resolve("digit-recognizer").resolve(f)).isRegularFile();
        }
        assertThat(r.out()).contains("Kaggle's digit-recognizer files are in " + cache.resolve("digit-recognizer"));
        assertThat(kaggle.storageAuthorization).containsOnlyNulls();
    }

    @Test
    @Order(3)
    void trainKaggleJsonPrintsOneObjectAndWritesTheReport() throws Exception {
        Result r = cnn(Map.of(), "train", "--kaggle", "--epochs", "1", "--limit", "600", "--no-augment", "--optimizer", "adam",
                "--lr", "0.002", "--patience", "2", "--min-lr", "1e-4", "--threads", "1", "--out", run.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).as("stdout holds only the JSON").hasSize(1);
        String json = lines.get(0);
        assertThat(json).startsWith("{\"command\": \"train\", \"status\": \"ok\", \"metrics\": {\"loss\": ")
                .contains("\"val_accuracy\": ").contains("\"optimizer\": \"Adam(lr 0.002, beta1 0.9, beta2 0.999, epsilon 1.0E-7)\"")
                .contains("\"report.html\": \"" + run.resolve("report.html") + "\"")
                .contains("\"versions\": {\"cnn-mnist\": \"cnn-mnist ").contains("\"seconds\": ");
        assertThat(r.err()).contains("Epoch 1/1").contains("Data: 600 labelled images from "
                + cache.resolve("digit-recognizer/train.csv"));
        assertThat(run.resolve("report.html")).isRegularFile();
    }

    @Test
    @Order(4)
    void resumeKeepsTheRecipeAndRejectsAnotherLearningRate() throws Exception {
        Result conflict = cnn(Map.of(), "train", "--resume", run.toString(), "--epochs", "2", "--lr", "0.01");
        assertThat(conflict.status()).isEqualTo(2);
        assertThat(conflict.err().strip()).isEqualTo("cnn-mnist: error: --lr conflicts with the checkpoint in " + run
                + ", whose run was started with --lr 0.002 (a resumed run keeps its options; leave --lr out)");
        // nothing more to train: the options come back from the checkpoint, as the JSON shows
        Result same = cnn(Map.of(), "train", "--resume", run.toString(), "--json", "--quiet");
        assertThat(same.status()).as(same.err()).isZero();
        assertThat(same.out()).contains("Adam(lr 0.002, beta1 0.9, beta2 0.999, epsilon 1.0E-7)")
                .contains("ReduceLROnPlateau(val_accuracy, factor 0.5, patience 2, min_lr 1.0E-4)");
        assertThat(same.err()).isEmpty();
    }

    @Test
    @Order(5)
    void submitKaggleChecksUploadsAndSaysWhereTheScoreIs() throws Exception {
        Path sub = run.resolve("submission.csv");
        Result r = cnn(Map.of(), "submit", "--model", run.resolve("model.cnn4j").toString(), "--out", sub.toString(),
                "--kaggle", "-m", "cnn4j end-to-end test");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote 28,000 predictions to " + sub)
                .contains("Successfully submitted to Digit Recognizer; the score appears at "
                        + "https://www.kaggle.com/competitions/digit-recognizer/submissions");
        assertThat(kaggle.uploaded).isEqualTo(Files.readAllBytes(sub));
        assertThat(kaggle.submitForm).contains("cnn4j end-to-end test");
        assertThat(kaggle.requests).contains("POST /api/v1/competitions/submissions/submit/digit-recognizer");
    }

    @Test
    @Order(6)
    void theReportRendersInChromiumWithEveryImageEmbedded() throws Exception {
        Chromium chromium = Chromium.findOrSkip();
        Path page = run.resolve("report.html");
        String dom = chromium.dumpDom(page, Files.createDirectories(tmp.resolve("profile-1")));
        assertThat(dom).contains("<h2>Hyperparameters</h2>").contains("<h2>Confusion matrix (validation)</h2>")
                .contains("Adam(lr 0.002");
        Matcher m = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(dom);
        int images = 0;
        Set<String> distinct = new HashSet<>();
        while (m.find()) {
            String src = m.group(1);
            assertThat(src).startsWith("data:image/png;base64,");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    src.substring("data:image/png;base64,".length()))));
            assertThat(img).as("image %d decodes", images).isNotNull();
            assertThat(img.getWidth()).isGreaterThan(100);
            distinct.add(src);
            images++;
        }
        assertThat(images).as("curves, misclassified, preview").isEqualTo(3);
        assertThat(distinct).hasSize(3);
        Path shot = Path.of("target", "report-screenshot.png");
        Files.createDirectories(shot.getParent());
        chromium.screenshot(page, shot, 1200, 4400, Files.createDirectories(tmp.resolve("profile-2")));
        BufferedImage s = ImageIO.read(shot.toFile());
        assertThat(s.getWidth()).isEqualTo(1200);
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < s.getHeight(); y += 7) {
            for (int x = 0; x < s.getWidth(); x += 7) {
                colors.add(s.getRGB(x, y));
            }
        }
        assertThat(colors.size()).as("a rendered page, not a blank one").isGreaterThan(50);
    }
}
