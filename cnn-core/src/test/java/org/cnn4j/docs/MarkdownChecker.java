package org.cnn4j.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the references a Markdown page makes into the repository:
 * <ul>
 * <li>every relative link (inline {@code [text](target)} or reference {@code [id]: target}) points
 * at a file or folder that exists, and a {@code #fragment} on a link to a Markdown page names one of
 * its headings (GitHub's anchor rules);</li>
 * <li>every code span of the form {@code `Class#method`} names a method declared in
 * {@code Class.java}: the file linked in the same paragraph if there is one, else any file of that
 * name in the repository;</li>
 * <li>every {@code -Dtest=...} in a command names existing test classes (and methods), globs
 * matching at least one test class;</li>
 * <li>the math and tables are written in the forms GitHub renders (see {@link GitHubMath}).</li>
 * </ul>
 * Links inside code spans and fenced blocks are not links; {@code -Dtest} is checked everywhere.
 */
final class MarkdownChecker {
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern METHOD_REF = Pattern.compile("^([A-Z][A-Za-z0-9_]*)#([A-Za-z_$][A-Za-z0-9_$]*)(?:\\(.*\\))?$");
    private static final Pattern DTEST = Pattern.compile("-Dtest=(?:'([^']*)'|\"([^\"]*)\"|([^\\s`'\"]+))");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Set<String> NOT_TYPES = Set.of("return", "new", "throw", "else", "case", "yield", "assert", "do");

    private final Path root;
    private final Map<String, List<Path>> javaFilesBySimpleName = new HashMap<>();
    private final List<String> testClassNames = new ArrayList<>();
    private final Map<String, Path> testClassFiles = new HashMap<>();
    private int linksChecked;
    private int methodsChecked;
    private int testFiltersChecked;
    private int formulasChecked;

    /** A checker for pages that live anywhere inside the repository at {@code root}. */
    MarkdownChecker(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(this.root)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !isIgnored(this.root.relativize(p)))
                    .forEach(this::index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isIgnored(Path rel) {
        for (Path part : rel) {
            String s = part.toString();
            if (s.equals("target") || s.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private void index(Path p) {
        String name = p.getFileName().toString();
        String simple = name.substring(0, name.length() - ".java".length());
        javaFilesBySimpleName.computeIfAbsent(simple, k -> new ArrayList<>()).add(p);
        String unix = root.relativize(p).toString().replace('\\', '/');
        int at = unix.indexOf("/src/test/java/");
        if (at >= 0) {
            String fqn = unix.substring(at + "/src/test/java/".length(), unix.length() - ".java".length()).replace('/', '.');
            testClassNames.add(fqn);
            testClassFiles.put(fqn, p);
        }
    }

    /** Walks up from {@code start} to the first folder that holds {@code docs/README.md}. */
    static Path findRepositoryRoot(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs").resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no folder holding docs/README.md above " + start.toAbsolutePath());
    }

    int linksChecked() {
        return linksChecked;
    }

    int methodsChecked() {
        return methodsChecked;
    }

    int testFiltersChecked() {
        return testFiltersChecked;
    }

    int formulasChecked() {
        return formulasChecked;
    }

    /** Checks a page on disk; returns the problems, each as {@code file:line: message}. */
    List<String> check(Path page) {
        try {
            return check(page, Files.readString(page, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks {@code markdown} as if it were the page at {@code page} (which need not exist). */
    List<String> check(Path page, String markdown) {
        Page pg = new Page(page.toAbsolutePath().normalize().getParent(), page.getFileName().toString(),
                anchorsOf(markdown));
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        boolean inFence = false;
        String fenceMarker = null;
        List<Integer> paragraph = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            checkTestFilters(line, pg.label(), i + 1, problems);
            Matcher fence = FENCE.matcher(line);
            if (fence.find()) {
                if (!inFence) {
                    inFence = true;
                    fenceMarker = fence.group(1);
                } else if (fence.group(1).equals(fenceMarker)) {
                    inFence = false;
                }
                flushParagraph(lines, paragraph, pg, problems);
                continue;
            }
            if (inFence) {
                continue;
            }
            if (line.isBlank()) {
                flushParagraph(lines, paragraph, pg, problems);
            } else {
                paragraph.add(i);
            }
        }
        flushParagraph(lines, paragraph, pg, problems);
        if (inFence) {
            problems.add(pg.label() + ": a fenced code block is never closed");
        }
        GitHubMath.Result math = GitHubMath.check(pg.label(), markdown);
        formulasChecked += math.formulas();
        problems.addAll(math.problems());
        return problems;
    }

    /** The page being checked: its folder, its name for messages, and its own heading anchors. */
    private record Page(Path dir, String label, Set<String> anchors) {
    }

    /** Checks the links and Class#method references of one paragraph (lines outside fences). */
    private void flushParagraph(String[] lines, List<Integer> paragraph, Page pg, List<String> problems) {
        if (paragraph.isEmpty()) {
            return;
        }
        Map<String, Path> linkedJava = new HashMap<>();
        for (int i : paragraph) {
            String text = blankCodeSpans(lines[i]);
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE_LINK.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
            Matcher ref = REFERENCE_LINK.matcher(text);
            if (ref.matches()) {
                targets.add(ref.group(1));
            }
            for (String t : targets) {
                Path resolved = checkLink(t, pg, i + 1, problems);
                if (resolved != null && resolved.toString().endsWith(".java")) {
                    String n = resolved.getFileName().toString();
                    linkedJava.put(n.substring(0, n.length() - ".java".length()), resolved);
                }
            }
        }
        for (int i : paragraph) {
            Matcher span = CODE_SPAN.matcher(lines[i]);
            while (span.find()) {
                Matcher ref = METHOD_REF.matcher(span.group(1).trim());
                if (ref.matches()) {
                    checkMethodReference(ref.group(1), ref.group(2), linkedJava.get(ref.group(1)), pg.label(), i + 1, problems);
                }
            }
        }
        paragraph.clear();
    }

    private static String blankCodeSpans(String line) {
        Matcher m = CODE_SPAN.matcher(line);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(" ".repeat(m.group().length())));
        }
        m.appendTail(b);
        return b.toString();
    }

    private Path checkLink(String target, Page pg, int line, List<String> problems) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        linksChecked++;
        int hash = target.indexOf('#');
        String pathPart = hash >= 0 ? target.substring(0, hash) : target;
        String fragment = hash >= 0 ? target.substring(hash + 1) : "";
        if (pathPart.isEmpty()) {
            if (!pg.anchors().contains(fragment)) {
                problems.add(pg.label() + ":" + line + ": no heading in this page has the anchor #" + fragment);
            }
            return null;
        }
        Path resolved = pg.dir().resolve(decode(pathPart)).normalize();
        if (!Files.exists(resolved)) {
            problems.add(pg.label() + ":" + line + ": link target does not exist: " + target);
            return null;
        }
        if (!fragment.isEmpty() && resolved.toString().endsWith(".md") && !anchors(resolved).contains(fragment)) {
            problems.add(pg.label() + ":" + line + ": " + resolved.getFileName() + " has no heading with the anchor #" + fragment);
        }
        return resolved;
    }

    private static String decode(String path) {
        return path.replace("%20", " ");
    }

    private Set<String> anchors(Path page) {
        try {
            return anchorsOf(Files.readString(page, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
    static Set<String> anchorsOf(String markdown) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : markdown.split("\r?\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (inFence || !h.matches()) {
                continue;
            }
            String text = h.group(2).replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }

    private void checkMethodReference(String cls, String method, Path linked, String label, int line, List<String> problems) {
        methodsChecked++;
        List<Path> candidates = linked != null ? List.of(linked) : javaFilesBySimpleName.getOrDefault(cls, List.of());
        if (candidates.isEmpty()) {
            problems.add(label + ":" + line + ": `" + cls + "#" + method + "`: no " + cls + ".java in the repository");
            return;
        }
        for (Path p : candidates) {
            if (declaresMethod(p, method)) {
                return;
            }
        }
        problems.add(label + ":" + line + ": `" + cls + "#" + method + "`: " + root.relativize(candidates.get(0))
                + " declares no method " + method + "(...)");
    }

    /** True when {@code file} has {@code <type> method(}, i.e. a declaration rather than a call. */
    static boolean declaresMethod(Path file, String method) {
        String src;
        try {
            src = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = Pattern.compile("([A-Za-z_$][\\w$<>\\[\\]?,.]*)\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(src);
        while (m.find()) {
            if (!NOT_TYPES.contains(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    private void checkTestFilters(String line, String label, int lineNo, List<String> problems) {
        Matcher m = DTEST.matcher(line);
        while (m.find()) {
            String value = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            for (String entry : value.split(",")) {
                entry = entry.trim();
                if (entry.isEmpty() || entry.startsWith("!")) {
                    continue;
                }
                testFiltersChecked++;
                String problem = checkTestFilter(entry);
                if (problem != null) {
                    problems.add(label + ":" + lineNo + ": -Dtest entry '" + entry + "': " + problem);
                }
            }
        }
    }

    /** Null when {@code entry} ({@code Class}, {@code Class#m1+m2}, {@code pkg.**}) names existing tests. */
    String checkTestFilter(String entry) {
        int hash = entry.indexOf('#');
        String cls = hash >= 0 ? entry.substring(0, hash) : entry;
        String methods = hash >= 0 ? entry.substring(hash + 1) : null;
        if (cls.endsWith(".java") || cls.endsWith(".class")) {
            cls = cls.substring(0, cls.lastIndexOf('.'));
        }
        List<String> matches = new ArrayList<>();
        if (cls.contains("*") || cls.contains("?")) {
            Pattern glob = globToRegex(cls.replace('/', '.'));
            for (String fqn : testClassNames) {
                if (glob.matcher(fqn).matches() || glob.matcher(simpleName(fqn)).matches()) {
                    matches.add(fqn);
                }
            }
            if (matches.isEmpty()) {
                return "the pattern matches no test class";
            }
        } else {
            for (String fqn : testClassNames) {
                if (fqn.equals(cls.replace('/', '.')) || simpleName(fqn).equals(cls)) {
                    matches.add(fqn);
                }
            }
            if (matches.isEmpty()) {
                return "no test class " + cls;
            }
        }
        if (methods == null || methods.contains("*")) {
            return null;
        }
        for (String method : methods.split("\\+")) {
            boolean found = false;
            for (String fqn : matches) {
                found |= declaresMethod(testClassFiles.get(fqn), method);
            }
            if (!found) {
                return "no test method " + method + " in " + cls;
            }
        }
        return null;
    }

    private static String simpleName(String fqn) {
        return fqn.substring(fqn.lastIndexOf('.') + 1);
    }

    /** Surefire's patterns: {@code **} any packages, {@code *} any characters within one name part. */
    private static Pattern globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                b.append(".*");
                i++;
            } else if (c == '*') {
                b.append("[^.]*");
            } else if (c == '?') {
                b.append("[^.]");
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
