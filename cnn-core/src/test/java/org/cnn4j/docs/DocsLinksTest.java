package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code docs/*.md} honest: every relative link resolves, every {@code `Class#method`} names a
 * declared method, every {@code -Dtest=} names existing tests, and the math and tables are in forms
 * GitHub renders ({@link GitHubMath}). Run alone:
 * {@code ./mvnw -pl cnn-core test -Dtest=DocsLinksTest}.
 */
class DocsLinksTest {
    static Path root;
    static MarkdownChecker checker;

    @BeforeAll
    static void index() {
        root = MarkdownChecker.findRepositoryRoot(Path.of(System.getProperty("user.dir")));
        checker = new MarkdownChecker(root);
    }

    @Test
    void everyDocsPageHasWorkingLinksMethodsAndTestCommands() throws IOException {
        List<Path> pages;
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            pages = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString())
                .contains("README.md", "backprop.md", "worked-example.md", "optimizers.md", "architecture.md",
                        "model-format.md", "adding-a-layer.md");
        MarkdownChecker fresh = new MarkdownChecker(root);
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            problems.addAll(fresh.check(page));
        }
        assertThat(problems).as("problems in docs/").isEmpty();
        // guard against a checker that silently stops seeing anything (at the time of writing:
        // 95 links, 140 method references, 33 -Dtest entries)
        assertThat(fresh.linksChecked()).isGreaterThan(60);
        assertThat(fresh.methodsChecked()).isGreaterThan(80);
        assertThat(fresh.testFiltersChecked()).isGreaterThan(20);
        assertThat(fresh.formulasChecked()).as("inline formulas read").isGreaterThan(300);
    }

    @Test
    void theCheckerReportsEveryKindOfBrokenReference() {
        Path page = root.resolve("docs").resolve("broken-example.md"); // never written: checked from memory
        String md = String.join("\n",
                "# A page",
                "",
                "A [missing file](../cnn-core/src/main/java/org/cnn4j/layers/NoSuchLayer.java).",
                "",
                "[Dense](../cnn-core/src/main/java/org/cnn4j/layers/Dense.java): `Dense#noSuchMethod`.",
                "",
                "`NoSuchClass#forward` has no file at all.",
                "",
                "A [bad anchor](backprop.md#no-such-heading) and [a bad local one](#nowhere).",
                "",
                "```bash",
                "./mvnw -pl cnn-core test -Dtest='NoSuchTest'",
                "./mvnw -pl cnn-core test -Dtest='GradCheckTest#noSuchCase'",
                "./mvnw -pl cnn-core test -Dtest='org.nowhere.**'",
                "```");
        List<String> problems = checker.check(page, md);
        assertThat(problems).hasSize(8);
        assertThat(String.join("\n", problems))
                .contains("broken-example.md:3: link target does not exist")
                .contains("broken-example.md:5: `Dense#noSuchMethod`")
                .contains("broken-example.md:7: `NoSuchClass#forward`: no NoSuchClass.java")
                .contains("backprop.md has no heading with the anchor #no-such-heading")
                .contains("no heading in this page has the anchor #nowhere")
                .contains("'NoSuchTest': no test class NoSuchTest")
                .contains("'GradCheckTest#noSuchCase': no test method noSuchCase")
                .contains("'org.nowhere.**': the pattern matches no test class");
    }

    @Test
    void theCheckerAcceptsCorrectReferences() {
        Path page = root.resolve("docs").resolve("good-example.md");
        String md = String.join("\n",
                "# Good",
                "",
                "## Dense layer",
                "",
                "[Dense](../cnn-core/src/main/java/org/cnn4j/layers/Dense.java) `Dense#backward`, "
                        + "[up](#dense-layer), [index](README.md), [site](https://example.org/x.md).",
                "`Conv2D#forward` is found without a link; `[not](a-link.md)` is code.",
                "",
                "```",
                "[inside a fence](nowhere.md)",
                "./mvnw -pl cnn-core test -Dtest='GradCheckTest#conv2d+flatten,KnownValuesTest,org.cnn4j.docs.**'",
                "```");
        assertThat(checker.check(page, md)).isEmpty();
    }

    @Test
    void declarationsAreToldApartFromCalls(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("A.java");
        Files.writeString(f, "class A { void run() { return helper(); } Object make() { return new Thing(); } }");
        assertThat(MarkdownChecker.declaresMethod(f, "run")).isTrue();
        assertThat(MarkdownChecker.declaresMethod(f, "make")).isTrue();
        assertThat(MarkdownChecker.declaresMethod(f, "helper")).isFalse();
        assertThat(MarkdownChecker.declaresMethod(f, "Thing")).isFalse();
    }

    @Test
    void anchorsFollowGitHubRules() {
        assertThat(MarkdownChecker.anchorsOf("# Conv2D: im2col + gemm\n## The `Dense` layer\n## Twice\n## Twice\n"))
                .containsExactlyInAnyOrder("conv2d-im2col--gemm", "the-dense-layer", "twice", "twice-1");
    }
}
