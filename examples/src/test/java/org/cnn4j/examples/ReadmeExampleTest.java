package org.cnn4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example is this module's code, and it runs: once with everything on the
 * module path ({@code requires org.cnn4j.core}), once on the class path (surefire's second
 * execution), as the two kinds of user applications would.
 */
class ReadmeExampleTest {

    private static Path repositoryRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md")) || p != null && !Files.isDirectory(p.resolve("cnn-core"))) {
            p = p.getParent();
        }
        return p;
    }

    /** The lines of the README's Java block under "The library in a few lines". */
    static List<String> readmeBlock() throws IOException {
        List<String> lines = Files.readAllLines(repositoryRoot().resolve("README.md"));
        int i = lines.indexOf("## The library in a few lines");
        assertThat(i).as("README section").isNotNegative();
        while (!lines.get(i).equals("```java")) {
            i++;
        }
        List<String> block = new ArrayList<>();
        for (i++; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        List<String> source = Files.readAllLines(repositoryRoot()
                .resolve("examples/src/main/java/org/cnn4j/examples/ReadmeExample.java"));
        int begin = source.indexOf("        // README-BEGIN"), end = source.indexOf("        // README-END");
        List<String> body = new ArrayList<>();
        for (String l : source.subList(begin + 1, end)) {
            body.add(l.isBlank() ? "" : l.substring(8).stripTrailing());
        }
        List<String> readme = readmeBlock();
        List<String> imports = readme.stream().filter(l -> l.startsWith("import ")).toList();
        assertThat(imports).isNotEmpty();
        assertThat(source).as("every import the README shows").containsAll(imports);
        List<String> readmeBody = readme.stream().filter(l -> !l.startsWith("import ")).map(String::stripTrailing)
                .dropWhile(String::isEmpty).toList();
        assertThat(readmeBody).isEqualTo(body);
    }

    @Test
    void runsOnThePathThisExecutionIsFor() {
        String path = System.getProperty("examples.path");
        assertThat(path).isIn("module", "class");
        boolean modular = path.equals("module");
        assertThat(ReadmeExample.class.getModule().isNamed()).isEqualTo(modular);
        assertThat(Sequential.class.getModule().getName()).isEqualTo(modular ? "org.cnn4j.core" : null);
    }

    @Test
    void theExampleTrainsPredictsAndSaves(@TempDir Path dir) throws IOException {
        ReadmeExample.Result r = ReadmeExample.run(ReadmeExample.synthetic(200, 1), ReadmeExample.synthetic(50, 2),
                ReadmeExample.synthetic(8, 3).images(), dir);
        List<Double> val = r.history().get("val_accuracy");
        assertThat(val).isNotEmpty();
        assertThat(val.get(val.size() - 1)).as("val_accuracy %s", val).isGreaterThan(0.8);
        assertThat(r.probabilities().shape()).containsExactly(8, 10);
        for (int i = 0; i < 8; i++) {
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                sum += r.probabilities().data()[i * 10 + k];
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        Sequential loaded = ModelFile.load(dir.resolve("model.cnn4j"));
        assertThat(loaded.predict(r.images()).data()).isEqualTo(r.probabilities().data());
    }
}
