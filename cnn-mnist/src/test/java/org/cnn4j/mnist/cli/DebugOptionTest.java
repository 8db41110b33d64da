package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** {@code --debug} is declared once ({@link DebugOption}) and offered by every command. */
class DebugOptionTest {
    /** Main's own commands (picocli's help and generate-completion excepted). */
    private static List<String> commands() {
        return Arrays.stream(Main.class.getAnnotation(Command.class).subcommands())
                .filter(c -> c.getPackage() == Main.class.getPackage())
                .map(c -> c.getAnnotation(Command.class).name()).toList();
    }

    @Test
    void everyCommandsHelpDocumentsDebugOnce() {
        assertThat(commands()).hasSizeGreaterThanOrEqualTo(11).contains("train", "accuracy", "serve");
        for (String command : commands()) {
            String help = CliTest.cli(command, "--help").out();
            assertThat(help).as(command).contains("[--debug]");
            assertThat(Pattern.compile("(?m)^ +--debug +Print stack traces\\.$").matcher(help).results().count())
                    .as(command).isEqualTo(1);
        }
    }

    @Test
    void debugAddsTheStackTraceToTheOneLineError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.cnn4j");
        String onnx = dir.resolve("m.onnx").toString();
        CliTest.Result plain = CliTest.cli("export", "--model", missing.toString(), "--onnx", onnx);
        CliTest.Result debug = CliTest.cli("export", "--model", missing.toString(), "--onnx", onnx, "--debug");
        assertThat(plain.status()).isEqualTo(Main.USER_ERROR);
        assertThat(plain.err()).startsWith("cnn-mnist: error: " + missing).doesNotContain("\tat ");
        assertThat(debug.status()).isEqualTo(Main.USER_ERROR);
        assertThat(debug.err()).contains("\tat org.cnn4j.mnist.").contains("cnn-mnist: error: " + missing);
    }
}
