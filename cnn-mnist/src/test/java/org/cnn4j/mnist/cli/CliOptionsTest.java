package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe options' checks, shell completion and NO_COLOR, without training anything. */
class CliOptionsTest {
    @Test
    void badRecipeValuesAreOneLineEach() {
        assertError(CliTest.cli("train", "--lr", "-1", "--epochs", "0"), "cnn-mnist: error: --lr must be > 0, got -1.0");
        assertError(CliTest.cli("train", "--optimizer", "adagrad"),
                "cnn-mnist: error: --optimizer must be rmsprop, adam or sgd, got adagrad");
        assertError(CliTest.cli("train", "--min-lr", "0.5"), "cnn-mnist: error: --min-lr must be in [0, --lr], got 0.5");
        assertError(CliTest.cli("train", "--lr-factor", "1"), "cnn-mnist: error: --lr-factor must be in (0, 1), got 1.0");
    }

    @Test
    void aMomentumSgdCannotTakeIsRefusedBeforeTheDataIsRead(@TempDir Path tmp) {
        // SGD's own check ([0, 1)) used to be the first to see it: an "internal error", exit 1, after loading the data
        for (String m : List.of("1", "1.5", "Infinity")) {
            assertError(CliTest.cli("train", "--optimizer", "sgd", "--momentum", m, "--limit", "30", "--out",
                    tmp.resolve("run").toString()), "cnn-mnist: error: --momentum must be in [0, 1), got " + Double.valueOf(m));
        }
    }

    @Test
    void trainHelpListsTheRecipe() {
        String help = CliTest.cli("train", "--help").out();
        for (String o : List.of("--optimizer", "--lr", "--rho", "--beta1", "--beta2", "--epsilon", "--momentum", "--nesterov",
                "--patience", "--lr-factor", "--min-lr", "--json", "--quiet", "--kaggle")) {
            assertThat(help).contains(o);
        }
    }

    @Test
    void generateCompletionPrintsABashScriptThatKnowsTheCommands() {
        CliTest.Result r = CliTest.cli("generate-completion");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("complete -F").contains("train").contains("--optimizer").contains("--kaggle");
        assertThat(CliTest.cli("--help").out()).contains("generate-completion");
    }

    @Test
    void noColorTurnsTheHelpsColoursOff(@TempDir Path tmp) throws Exception {
        // picocli.ansi=true forces colours even without a terminal; NO_COLOR must still win
        assertThat(help(tmp, null)).contains("\u001b[");
        assertThat(help(tmp, "1")).doesNotContain("\u001b[").contains("Usage:");
    }

    private static String help(Path tmp, String noColor) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpicocli.ansi=true", "-cp", System.getProperty("java.class.path"), "org.cnn4j.mnist.cli.Main", "--help"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NO_COLOR");
        pb.environment().put("CNN4J_NO_RELAUNCH", "1");
        if (noColor != null) {
            pb.environment().put("NO_COLOR", noColor);
        }
        Path out = Files.createTempFile(tmp, "help", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out);
    }

    private static void assertError(CliTest.Result r, String line) {
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(line);
    }
}
