package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@code ```jshell} blocks of {@code docs/backprop.md} through the JDK's own {@code jshell},
 * on the compiled classes, in page order (later blocks use what earlier ones declared), the way a
 * reader pastes them. Every line must evaluate without an error or exception, and a line ending in
 * {@code // ==> v} must print {@code ==> v}.
 */
class JshellSnippetsTest {
    private static final Pattern EXPECTED = Pattern.compile("//\\s*==>\\s*(.+?)\\s*$");

    /** The lines of every {@code ```jshell} block of {@code markdown}, in order. */
    static List<String> snippetLines(String markdown) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : markdown.split("\r?\n", -1)) {
            if (!in && line.strip().equals("```jshell")) {
                in = true;
            } else if (in && line.strip().equals("```")) {
                in = false;
            } else if (in && !line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    @Test
    void theSnippetsOfBackpropRunInJshellAndPrintWhatThePageSays() throws IOException, InterruptedException {
        Path root = MarkdownChecker.findRepositoryRoot(Path.of(System.getProperty("user.dir")));
        List<String> lines = snippetLines(Files.readString(root.resolve("docs/backprop.md"), StandardCharsets.UTF_8));
        assertThat(lines).as("jshell lines in backprop.md").hasSizeGreaterThan(20);
        Path classes = root.resolve("cnn-core/target/classes");
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Process p = new ProcessBuilder(jshell.toString(), "-q", "--class-path", classes.toString(),
                "--add-modules", "jdk.incubator.vector", "-J-Duser.home=" + System.getProperty("java.io.tmpdir"))
                .redirectErrorStream(true).start();
        p.getOutputStream().write((String.join("\n", lines) + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // one prompt per line read: segment i + 1 is what line i printed
        String[] printed = output.split("jshell> ", -1);
        assertThat(printed.length).as("prompts in:%n%s", output).isGreaterThanOrEqualTo(lines.size() + 1);
        int expectations = 0;
        for (int i = 0; i < lines.size(); i++) {
            String said = printed[i + 1].strip();
            assertThat(said).as("line %d: %s", i + 1, lines.get(i)).doesNotContain("Error:").doesNotContain("Exception");
            Matcher m = EXPECTED.matcher(lines.get(i));
            if (m.find()) {
                expectations++;
                assertThat(said).as("line %d: %s", i + 1, lines.get(i)).endsWith("==> " + m.group(1));
            }
        }
        assertThat(expectations).isGreaterThanOrEqualTo(6);
    }

    @Test
    void onlyJshellBlocksAreTaken() {
        String md = String.join("\n", "```java", "int a = 1;", "```", "", "```jshell", "1 + 1   // ==> 2", "", "```");
        assertThat(snippetLines(md)).containsExactly("1 + 1   // ==> 2");
    }
}
