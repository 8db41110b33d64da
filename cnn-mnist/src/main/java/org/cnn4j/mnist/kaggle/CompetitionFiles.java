package org.cnn4j.mnist.kaggle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.cnn4j.mnist.InputException;

/**
 * A competition's files in the cache, {@code <root>/<competition>/}: fetched as one zip, checked,
 * and extracted so that the folder holds either the complete previous set or the complete new one
 * (the files are extracted into a hidden sibling folder, which is then renamed into place; a killed
 * run leaves only that hidden folder, removed on the next fetch). The root is the system property
 * {@value #CACHE_PROPERTY}, else {@code $CNN4J_KAGGLE_DATA}, else {@code ~/.cache/cnn4j/kaggle}.
 */
public final class CompetitionFiles {
    /** The competition this tool is for. */
    public static final String DIGIT_RECOGNIZER = "digit-recognizer";
    /** The files of Digit Recognizer that the commands use. */
    public static final List<String> FILES = List.of("train.csv", "test.csv", "sample_submission.csv");
    /** System property naming the cache root (tests). */
    public static final String CACHE_PROPERTY = "cnn4j.kaggle.cache";
    /** Environment variable naming the cache root. */
    public static final String CACHE_ENV = "CNN4J_KAGGLE_DATA";
    /** No single file of the archive may be larger (Digit Recognizer's train.csv is 76 MB). */
    static final long MAX_ENTRY = 1L << 30;
    /**
     * A competition's name as in its URL: letters, digits and inner hyphens ({@code digit-recognizer};
     * a few old competitions have capitals, {@code GiveMeSomeCredit}). Nothing else: the name is a
     * folder under the cache root and a URL path segment, so {@code /}, {@code ..} or "" must not pass.
     */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?");

    private CompetitionFiles() {
    }

    /**
     * Refuses what is not a competition's name as Kaggle writes it in the competition's URL.
     *
     * @param competition the name given with {@code --competition}
     * @return the name
     * @throws InputException when it is not letters, digits and inner hyphens (at most 100)
     */
    public static String checkName(String competition) {
        if (competition == null || !NAME.matcher(competition).matches()) {
            String shown = competition == null ? "" : competition.codePoints()
                    .map(c -> Character.isISOControl(c) ? '?' : c).limit(60)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            throw new InputException("--competition '" + shown + (competition != null && competition.length() > 60 ? "..." : "")
                    + "': not a Kaggle competition name (letters, digits and hyphens, as in its URL: "
                    + KaggleApi.competitionPage(DIGIT_RECOGNIZER) + ")");
        }
        return competition;
    }

    /**
     * The cache folder of a competition.
     *
     * @param competition the competition's name
     * @return {@code <root>/<competition>}
     * @throws InputException when the name is not a competition's name ({@link #checkName})
     */
    public static Path dir(String competition) {
        checkName(competition);
        String root = System.getProperty(CACHE_PROPERTY);
        if (root == null || root.isBlank()) {
            root = System.getenv(CACHE_ENV);
        }
        Path r = root == null || root.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "cnn4j", "kaggle") : Path.of(root);
        return r.resolve(competition);
    }

    /**
     * A cached file of Digit Recognizer, or null when {@code fetch --kaggle} has not put it there.
     *
     * @param name {@code train.csv}, {@code test.csv} or {@code sample_submission.csv}
     * @return the path, or null
     */
    public static Path cached(String name) {
        Path p = dir(DIGIT_RECOGNIZER).resolve(name);
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * Downloads, checks and extracts a competition's files into {@link #dir}.
     *
     * @param api the client
     * @param competition the competition's name
     * @param log progress lines
     * @return the folder holding the files
     * @throws InputException on any failure; the cache keeps what it had
     */
    public static Path fetch(KaggleApi api, String competition, Consumer<String> log) {
        Path dir = dir(competition);
        Path root = dir.getParent();
        try {
            Files.createDirectories(root);
            removeLeftovers(root, competition);
        } catch (IOException e) {
            throw new InputException(root + ": cannot write the Kaggle cache (" + e.getClass().getSimpleName() + ")", e);
        }
        Path zip = root.resolve("." + competition + ".zip.tmp-" + UUID.randomUUID());
        try {
            log.accept("Downloading " + competition + " from " + KaggleApi.competitionPage(competition) + " ...");
            long bytes = api.downloadAll(competition, zip);
            log.accept(String.format(java.util.Locale.ROOT, "Downloaded %,d bytes; checking and extracting", bytes));
            extract(zip, dir, competition.equals(DIGIT_RECOGNIZER) ? FILES : List.of());
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException e) {
                log.accept("warning: cannot delete " + zip + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return dir;
    }

    /**
     * Checks a competition zip and extracts it into {@code dir}, replacing its content at once.
     *
     * @param zip the downloaded archive
     * @param dir the cache folder of the competition
     * @param required files that must be in it (each is also checked for its CSV header)
     * @throws InputException when the archive is damaged, truncated or lacks a file
     */
    static void extract(Path zip, Path dir, List<String> required) {
        Path root = dir.getParent();
        String name = dir.getFileName().toString();
        Path staging = root.resolve("." + name + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            try (ZipFile z = new ZipFile(zip.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    String file = Path.of(e.getName()).getFileName().toString();
                    if (file.startsWith(".") || e.getName().contains("..")) {
                        continue; // nothing outside the folder, no hidden files
                    }
                    copy(z, e, staging.resolve(file));
                }
            } catch (ZipException e) {
                throw new InputException("the downloaded archive of " + name + " is damaged or truncated (" + e.getMessage()
                        + "): run fetch --kaggle again", e);
            }
            for (String f : required) {
                Path p = staging.resolve(f);
                if (!Files.isRegularFile(p)) {
                    throw new InputException("the archive of " + name + " has no " + f + ": not the Digit Recognizer data; "
                            + "check --competition");
                }
                checkHeader(p, name);
            }
            swapIn(staging, dir);
        } catch (IOException e) {
            throw new InputException(dir + ": cannot extract the Kaggle files (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void copy(ZipFile z, ZipEntry e, Path target) throws IOException {
        long n = 0;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (InputStream in = z.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
                crc.update(buf, 0, r);
                if (n > MAX_ENTRY) {
                    throw new InputException("the archive's " + e.getName() + " expands beyond " + (MAX_ENTRY >> 20)
                            + " MB: not a competition file");
                }
                out.write(buf, 0, r);
            }
        }
        // ZipFile (unlike ZipInputStream) does not check the entries' CRC-32: a flipped bit must not pass
        if ((e.getCrc() != -1 && crc.getValue() != e.getCrc()) || (e.getSize() != -1 && n != e.getSize())) {
            throw new ZipException(e.getName() + ": CRC-32 or size mismatch");
        }
    }

    private static final Map<String, String> HEADERS = Map.of("train.csv", "label,pixel0,", "test.csv", "pixel0,pixel1,",
            "sample_submission.csv", "ImageId,Label");

    private static void checkHeader(Path p, String competition) throws IOException {
        String want = HEADERS.get(p.getFileName().toString());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            if (want != null && (first == null || !first.startsWith(want))) {
                throw new InputException("the archive of " + competition + " has a " + p.getFileName() + " whose header is not "
                        + want + "...: not the Digit Recognizer data");
            }
        }
    }

    /** Renames {@code staging} to {@code dir}; an existing {@code dir} is renamed aside first, then removed. */
    private static void swapIn(Path staging, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling("." + dir.getFileName() + ".old-" + UUID.randomUUID());
            move(dir, old);
        }
        try {
            move(staging, dir);
        } catch (IOException e) {
            if (old != null) {
                move(old, dir);
            }
            throw e;
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void removeLeftovers(Path root, String competition) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + competition + ".tmp-") || n.startsWith("." + competition + ".old-")
                        || n.startsWith("." + competition + ".zip.tmp-")) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // a leftover hidden folder is removed by the next fetch
        }
    }
}
