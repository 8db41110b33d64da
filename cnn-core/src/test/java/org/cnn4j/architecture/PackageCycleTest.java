package org.cnn4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports between cnn-core's packages run one way: the graph of "package A names a type of
 * package B" has no cycle. Read from the sources, so fully qualified names in code count too.
 */
class PackageCycleTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.cnn4j\\.((?:[a-z]+\\.)*[a-z]+)\\.[A-Z]");

    static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                if (!pkg.startsWith("org.cnn4j")) {
                    continue; // module-info
                }
                Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String target = "org.cnn4j." + m.group(1);
                    if (!target.equals(pkg)) {
                        out.add(target);
                    }
                }
            }
        }
        return deps;
    }

    /** Every cycle's packages, found by depth-first search from each package. */
    static List<List<String>> cycles(Map<String, Set<String>> deps) {
        List<List<String>> found = new ArrayList<>();
        for (String start : deps.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : deps.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        found.add(path);
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.push(longer);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void packagesHaveNoImportCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies(SOURCES);
        assertThat(deps).containsKeys("org.cnn4j.model", "org.cnn4j.layers", "org.cnn4j.internal.kernels");
        assertThat(cycles(deps)).as("package import cycles (each list closes on its first package)").isEmpty();
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Set<String>> deps = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(deps)).contains(List.of("a", "b", "c"));
    }
}
