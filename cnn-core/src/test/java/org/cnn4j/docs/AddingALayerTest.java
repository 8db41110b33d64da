package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/adding-a-layer.md} true as the code moves: its numbered list of files is every
 * file of the repository that names the worked example ({@code AveragePooling2D}), plus helpers its
 * class uses, in an order where each file comes after every listed file it names, and each {@code ```java} excerpt is still in the
 * Java file linked last before it (line by line, in order; {@code // ...} marks an elision).
 * ({@link DocsLinksTest} checks the page's links, method references and commands like every page's.)
 */
class AddingALayerTest {
    static final String EXAMPLE = "AveragePooling2D";
    static final String PAGE = "docs/adding-a-layer.md";
    /** This test names the example too, and is not a file a new layer touches. */
    private static final String SELF = "cnn-core/src/test/java/org/cnn4j/docs/AddingALayerTest.java";
    private static final String LIST_HEADING = "## The files, in order";
    private static final Pattern STEP = Pattern.compile("^\\d+\\.\\s+\\[[^\\]]*\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+\\.java)(?:#[^)]*)?\\)");

    static Path root;
    static String page;

    @BeforeAll
    static void read() throws IOException {
        root = MarkdownChecker.findRepositoryRoot(Path.of(System.getProperty("user.dir")));
        page = Files.readString(root.resolve(PAGE), StandardCharsets.UTF_8);
    }

    @Test
    void theListNamesEveryFileThatNamesTheExample() {
        assertThat(steps(page)).hasSizeGreaterThanOrEqualTo(6);
        assertThat(completeness(steps(page))).isEmpty();
    }

    @Test
    void eachFileComesAfterTheListedFilesItNames() {
        assertThat(order(steps(page))).isEmpty();
    }

    @Test
    void theExcerptsAreStillInTheirFiles() {
        assertThat(excerptProblems(page)).isEmpty();
        assertThat(javaBlocks(page)).as("excerpts read").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theIndexLinksThePage() throws IOException {
        assertThat(Files.readString(root.resolve("docs/README.md"), StandardCharsets.UTF_8)).contains("(adding-a-layer.md)");
    }

    // the checks above fail when the page goes stale: shown here on edited copies of the page

    @Test
    void aFileLeftOutOfTheListIsReported() {
        String edited = page.replaceAll("(?m)^\\d+\\.\\s+\\[`OnnxLayers\\.java`\\].*\\n", "");
        assertThat(completeness(steps(edited))).containsExactly(
                "cnn-core/src/main/java/org/cnn4j/io/OnnxLayers.java names " + EXAMPLE + " but is not in the list");
    }

    @Test
    void aListedFileThatNoLongerNamesTheExampleIsReported() {
        String edited = page.replace(LIST_HEADING + "\n", LIST_HEADING + "\n\n0. [`Dense.java`](../cnn-core/src/main/java/org/cnn4j/layers/Dense.java): x\n");
        assertThat(completeness(steps(edited))).containsExactly(
                "cnn-core/src/main/java/org/cnn4j/layers/Dense.java is in the list but neither names " + EXAMPLE
                        + " nor is used by it");
    }

    @Test
    void aFileListedBeforeAFileItNamesIsReported() {
        List<Path> swapped = new ArrayList<>(steps(page));
        int layers = indexOf(swapped, "Layers.java"), test = indexOf(swapped, "PoolingLayersTest.java");
        swapped.add(layers, swapped.remove(test)); // the test before the registry it calls
        assertThat(order(swapped)).anyMatch(p -> p.startsWith("PoolingLayersTest.java (step " + (layers + 1)
                + ") names Layers.java"));
    }

    @Test
    void aStaleExcerptIsReported() {
        String edited = page.replace("inverseCount = new float[g.outPixels()];", "inverseCount = new float[g.outH()];");
        assertThat(excerptProblems(edited)).singleElement().asString()
                .contains("AveragePooling2D.java").contains("inverseCount = new float[g.outH()];");
    }

    private static int indexOf(List<Path> files, String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).getFileName().toString().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " is not in the list");
    }

    /** The files of the numbered list under {@value #LIST_HEADING}, relative to the repository root. */
    static List<Path> steps(String markdown) {
        List<Path> out = new ArrayList<>();
        boolean inList = false;
        for (String line : markdown.split("\r?\n")) {
            if (line.startsWith("## ")) {
                inList = line.equals(LIST_HEADING);
                continue;
            }
            Matcher m = STEP.matcher(line);
            if (inList && m.find()) {
                out.add(root.relativize(root.resolve("docs").resolve(m.group(1)).normalize()));
            }
        }
        return out;
    }

    /**
     * Files that name the example but are not listed, and listed files that neither name it nor
     * are named by its class (a helper the example's class uses, such as the pooling window).
     */
    static List<String> completeness(List<Path> listed) {
        Set<Path> naming = filesNaming(EXAMPLE);
        String exampleClass = naming.stream().filter(p -> p.getFileName().toString().equals(EXAMPLE + ".java"))
                .findFirst().map(AddingALayerTest::read).orElseThrow(() -> new AssertionError("no " + EXAMPLE + ".java"));
        List<String> problems = new ArrayList<>();
        for (Path p : naming) {
            if (!listed.contains(p)) {
                problems.add(unix(p) + " names " + EXAMPLE + " but is not in the list");
            }
        }
        for (Path p : listed) {
            if (!naming.contains(p) && !word(referenceName(p)).matcher(exampleClass).find()) {
                problems.add(unix(p) + " is in the list but neither names " + EXAMPLE + " nor is used by it");
            }
        }
        return problems;
    }

    /** Every listed file that names a listed file further down (a step that needs a later one). */
    static List<String> order(List<Path> listed) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            String text = read(listed.get(i));
            for (int j = i + 1; j < listed.size(); j++) {
                if (word(referenceName(listed.get(j))).matcher(text).find()) {
                    problems.add(listed.get(i).getFileName() + " (step " + (i + 1) + ") names "
                            + listed.get(j).getFileName() + " (step " + (j + 1) + ")");
                }
            }
        }
        return problems;
    }

    /** How other files name this one: a class by its simple name, a page by its file name. */
    private static String referenceName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".java") ? n.substring(0, n.length() - ".java".length()) : n;
    }

    private static Pattern word(String name) {
        return Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])");
    }

    /** The source and documentation files (outside build output) that name {@code name}, but the page and this test. */
    private static Set<Path> filesNaming(String name) {
        Pattern w = word(name);
        try (Stream<Path> files = Files.walk(root)) {
            Set<Path> out = new TreeSet<>();
            files.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(p -> !ignored(p) && !unix(p).equals(PAGE) && !unix(p).equals(SELF))
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                    .filter(p -> w.matcher(read(p)).find())
                    .forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ignored(Path rel) {
        for (Path part : rel) {
            String s = part.toString();
            if (s.equals("target") || s.startsWith(".") || s.equals("node_modules")) {
                return true;
            }
        }
        return false;
    }

    private static int javaBlocks(String markdown) {
        return (int) markdown.lines().filter(l -> l.strip().equals("```java")).count();
    }

    /** Each {@code ```java} block's lines must appear, in order, in the Java file linked last before it. */
    static List<String> excerptProblems(String markdown) {
        List<String> problems = new ArrayList<>();
        Path source = null;
        List<String> block = null;
        int blockLine = 0;
        String[] lines = markdown.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (block != null) {
                if (line.strip().equals("```")) {
                    String p = excerptProblem(source, block);
                    if (p != null) {
                        problems.add(PAGE + ":" + blockLine + ": " + p);
                    }
                    block = null;
                } else {
                    block.add(line);
                }
            } else if (line.strip().equals("```java")) {
                block = new ArrayList<>();
                blockLine = i + 1;
            } else {
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    source = root.resolve("docs").resolve(m.group(1)).normalize();
                }
            }
        }
        return problems;
    }

    private static String excerptProblem(Path source, List<String> block) {
        if (source == null) {
            return "a java excerpt with no Java file linked before it";
        }
        List<String> file = read(source).lines().map(String::strip).toList();
        int at = 0;
        for (String l : block) {
            String s = l.strip();
            if (s.isEmpty() || s.equals("// ...")) {
                continue;
            }
            int found = file.subList(at, file.size()).indexOf(s);
            if (found < 0) {
                return root.relativize(source).getFileName() + " has no line '" + s + "' (after the excerpt's earlier lines)";
            }
            at += found + 1;
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p.isAbsolute() ? p : root.resolve(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unix(Path p) {
        return p.toString().replace('\\', '/');
    }
}
