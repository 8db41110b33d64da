package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.ReLU;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile inputs run through the real CLI, one process per case (issue 11): corrupt,
 * huge, special and empty inputs, bad options, outputs that are devices, FIFOs, links, sockets or
 * unwritable, and runs that collide. Each case expects either success (exit 0, output checked) or
 * one line on stderr with exit 2; the corpus counts the cases tried, the one-line exit-2 errors,
 * stack traces (or "internal error"), hangs (60 s, 180 s for training) and damaged outputs (an
 * output that a failing command changed, a special file replaced, a half-run folder left), and
 * fails on any stack trace, hang, damaged output or unexpected status.
 *
 * <p>By default (in CI) only the quick cases run, without the relaunch, in about a minute.
 * {@code -Dcorpus.full=true} runs every case, relaunching as the jar does; {@code
 * -Dcorpus.jar=cnn-mnist/target/cnn-mnist.jar} runs them with {@code java -jar} on the built jar.
 * The table is printed and written to {@code target/hostile-corpus.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {
    static final boolean FULL = Boolean.getBoolean("corpus.full") || System.getProperty("corpus.jar") != null;

    enum Expect { OK, ERROR }

    /** Returns null when nothing was damaged, else what was. */
    @FunctionalInterface
    interface Check {
        String damage(String stdout) throws Exception;
    }

    record Case(String name, boolean quick, Expect expect, List<String> jvm, List<String> args, Check check, int timeout) {
    }

    Path tmp;
    Path model;
    Path test;
    Path train;
    Path png;
    final List<Case> cases = new ArrayList<>();
    int sentinels;

    @BeforeAll
    void build(@TempDir Path dir) throws Exception {
        tmp = dir;
        model = Hostile.model(dir.resolve("model.cnn4j"));
        test = Hostile.testCsv(dir.resolve("test.csv"), 20);
        train = Hostile.trainCsv(dir.resolve("train.csv"), 200);
        png = dir.resolve("seven.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 6; y < 22; y++) {
            img.getRaster().setSample(14, y, 0, 255);
            img.getRaster().setSample(15, y, 0, 255);
        }
        ImageIO.write(img, "png", png.toFile());
        modelCases();
        csvCases();
        imageCases();
        outputCases();
        trainCases();
        otherCases();
    }

    // ---------------------------------------------------------------- helpers

    Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    static boolean sh(String... cmd) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static byte[] withCrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return b;
    }

    /** A sparse file of {@code size} bytes starting with {@code head}. */
    Path sparse(String name, byte[] head, long size) throws IOException {
        Path p = tmp.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(head), 0);
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
        return p;
    }

    /** An existing submission that a failing command must leave byte-identical, with no temporary file beside it. */
    Path sentinel() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sentinel-" + (++sentinels)));
        return Files.writeString(dir.resolve("submission.csv"), "ImageId,Label\n1,7\n");
    }

    static Check unchanged(Path sentinel) {
        return out -> {
            String now = Files.exists(sentinel) ? Files.readString(sentinel) : "(deleted)";
            try (var files = Files.list(sentinel.getParent())) {
                long others = files.count();
                return now.equals("ImageId,Label\n1,7\n") && others == 1 ? null : sentinel + " changed: " + now.strip()
                        + " (" + others + " files)";
            }
        };
    }

    /** A run folder that must not exist after the command (no half-run folder). */
    static Check absent(Path dir) {
        return out -> Files.exists(dir) ? dir + " was left behind" : null;
    }

    static final Check NONE = out -> null;

    void error(String name, boolean quick, Check check, String... args) {
        cases.add(new Case(name, quick, Expect.ERROR, List.of(), List.of(args), check, 60));
    }

    void ok(String name, boolean quick, Check check, String... args) {
        cases.add(new Case(name, quick, Expect.OK, List.of(), List.of(args), check, 60));
    }

    /** A submit with {@code --model m}, into a sentinel that must stay as it was. */
    void badModel(String name, boolean quick, Path m) throws IOException {
        Path s = sentinel();
        error("model: " + name, quick, unchanged(s), "submit", "--model", m.toString(), "--test-csv", test.toString(),
                "--out", s.toString());
    }

    void badTestCsv(String name, boolean quick, Path csv) throws IOException {
        Path s = sentinel();
        error("test csv: " + name, quick, unchanged(s), "submit", "--model", model.toString(), "--test-csv", csv.toString(),
                "--out", s.toString());
    }

    void badImage(String name, boolean quick, Path image) {
        error("image: " + name, quick, NONE, "predict", "--model", model.toString(), image.toString());
    }

    void badTrain(String name, boolean quick, String... extra) {
        Path run = tmp.resolve("run-" + cases.size());
        List<String> a = new ArrayList<>(List.of("train", "--no-augment", "--out", run.toString()));
        a.addAll(List.of(extra));
        if (!a.contains("--epochs")) {
            a.addAll(List.of("--epochs", "1"));
        }
        if (!a.contains("--train-csv") && !a.contains("--data")) {
            a.addAll(List.of("--train-csv", train.toString()));
        }
        cases.add(new Case("train: " + name, quick, Expect.ERROR, List.of(), a, absent(run), 180));
    }

    // ---------------------------------------------------------------- the cases

    void modelCases() throws Exception {
        byte[] good = Files.readAllBytes(model);
        badModel("missing", false, tmp.resolve("missing.cnn4j"));
        badModel("a folder", false, Files.createDirectories(tmp.resolve("folder.cnn4j")));
        badModel("empty", false, file("empty.cnn4j", new byte[0]));
        badModel("text", false, file("text.cnn4j", "hello\n"));
        badModel("a PNG", false, png);
        badModel("1 GB of zeros (sparse)", false, sparse("zeros.cnn4j", new byte[0], 1L << 30));
        byte[] head = ByteBuffer.allocate(24).put("CNN4JMDL".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(0)
                .putLong((1L << 30) - 28).array();
        badModel("1 GB with a valid header", true, sparse("huge.cnn4j", head, 1L << 30));
        badModel("/dev/zero", true, Path.of("/dev/zero"));
        badModel("/dev/urandom", false, Path.of("/dev/urandom"));
        Path fifo = tmp.resolve("model.fifo");
        if (sh("mkfifo", fifo.toString())) {
            badModel("a FIFO", true, fifo);
        }
        badModel("truncated", false, file("truncated.cnn4j", Arrays.copyOf(good, good.length / 2)));
        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x10;
        badModel("a flipped byte", false, file("flipped.cnn4j", flipped));
        badModel("a NaN weight", true, Hostile.modelWithWeight(tmp.resolve("nan.cnn4j"), Float.NaN));
        badModel("an infinite weight", false, Hostile.modelWithWeight(tmp.resolve("inf.cnn4j"), Float.NEGATIVE_INFINITY));
        byte[] flags = good.clone();
        flags[15] |= 0x02;
        badModel("an unknown flag bit", true, file("flags.cnn4j", withCrc(flags)));
        byte[] version = good.clone();
        version[11] = 99;
        badModel("version 99", false, file("v99.cnn4j", withCrc(version)));
        badModel("100,000 1x1 filters", true, file("wide.cnn4j",
                ModelFile.toBytes(new Sequential(1, 28, 28).add(new Conv2D(100_000, 1)), false, Map.of())));
        if (FULL) {
            Sequential deep = new Sequential(1, 28, 28);
            for (int i = 0; i < 65_534; i++) {
                deep.add(new ReLU());
            }
            badModel("65,534 ReLU layers", false, file("deep.cnn4j", ModelFile.toBytes(deep, false, Map.of())));
        }
        badModel("a model for 4x4 inputs", false, file("small.cnn4j",
                ModelFile.toBytes(new Sequential(1, 4, 4).add(new Flatten()).add(new Dense(10)), false, Map.of())));
        Path loop = tmp.resolve("loop.cnn4j");
        Files.createSymbolicLink(loop, loop.getFileName());
        badModel("a symlink loop", false, loop);
    }

    void csvCases() throws Exception {
        String header = Hostile.testHeader();
        String row = "0" + ",0".repeat(783);
        badTestCsv("missing", false, tmp.resolve("missing.csv"));
        badTestCsv("a folder", false, Files.createDirectories(tmp.resolve("folder.csv")));
        badTestCsv("empty", false, file("empty.csv", ""));
        badTestCsv("header only", true, file("header-only.csv", header + "\n"));
        badTestCsv("/dev/zero", false, Path.of("/dev/zero"));
        badTestCsv("/dev/urandom", false, Path.of("/dev/urandom"));
        Path fifo = tmp.resolve("test.fifo");
        if (sh("mkfifo", fifo.toString())) {
            badTestCsv("a FIFO", false, fifo);
        }
        byte[] garbage = new byte[5000];
        new java.util.Random(1).nextBytes(garbage);
        badTestCsv("binary garbage", false, file("garbage.csv", garbage));
        badTestCsv("a wrong header", false, file("wrong-header.csv", header.replace("pixel5", "pixelV") + "\n" + row + "\n"));
        badTestCsv("a short row", false, file("short.csv", header + "\n" + row.substring(0, 100) + "\n"));
        badTestCsv("a pixel of 256", false, file("p256.csv", header + "\n256" + row.substring(1) + "\n"));
        badTestCsv("a pixel of -1", false, file("pneg.csv", header + "\n-1" + row.substring(1) + "\n"));
        badTestCsv("not UTF-8", false, file("latin1.csv", (header + "\n\u00e9" + row.substring(1) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
        badTestCsv("a train.csv given as test", false, train);
        badTestCsv("a 10 MB line", false, file("long-line.csv", header + "\n" + "1,".repeat(5_000_000) + "\n"));
        badTestCsv("a quoted header with line breaks", false, file("quoted.csv", "\"pixel0\n\n\n\"," + header + "\n"));
        Path s = sentinel();
        ok("test csv: CRLF line ends", false, out -> Files.readString(s).lines().count() == 2 ? null : "wrong submission",
                "submit", "--model", model.toString(), "--test-csv", file("crlf.csv", header + "\r\n" + row + "\r\n").toString(),
                "--out", s.toString());
    }

    void imageCases() throws Exception {
        badImage("missing", false, tmp.resolve("missing.png"));
        badImage("a folder", false, Files.createDirectories(tmp.resolve("folder.png")));
        badImage("empty", false, file("empty.png", new byte[0]));
        badImage("text named .png", false, file("text.png", "not a picture"));
        byte[] pngBytes = Files.readAllBytes(png);
        badImage("truncated", false, file("truncated.png", Arrays.copyOf(pngBytes, pngBytes.length / 2)));
        badImage("a row size that overflows the decoder", true, Hostile.overflowingPng(tmp.resolve("overflow.png"), 39_000_000));
        badImage("100,000 x 100,000 pixels claimed (a bomb)", true, Hostile.png(tmp.resolve("bomb.png"), 100_000, 100_000));
        badImage("a 100,000-pixel row with 4 KB of data", false, Hostile.png(tmp.resolve("short-data.png"), 100_000, 1));
        byte[] b = Files.readAllBytes(png);
        b[20] ^= 1; // the height, without fixing the IHDR CRC
        badImage("an IHDR with a bad CRC", false, file("bad-crc.png", b));
        Path fifo = tmp.resolve("image.fifo");
        if (sh("mkfifo", fifo.toString())) {
            badImage("a FIFO", false, fifo);
        }
        Path tiff = tmp.resolve("seven.tiff");
        if (ImageIO.write(ImageIO.read(png.toFile()), "tiff", tiff.toFile())) {
            badImage("TIFF (unsupported)", false, tiff);
        }
        badImage("/dev/zero", false, Path.of("/dev/zero"));
    }

    void outputCases() throws Exception {
        String[] submit = {"submit", "--model", null, "--test-csv", null, "--out", null};
        Path node = tmp.resolve("devnull");
        if (sh("mknod", node.toString(), "c", "1", "3")) {
            Object mode = Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            ok("out: a device node", true, out -> mode.equals(Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    ? null : "the node was replaced", args(submit, node));
        }
        ok("out: /dev/stdout", true, out -> out.startsWith("ImageId,Label\n1,") && out.lines().count() == 21 ? null
                : "stdout got: " + out.lines().findFirst().orElse(""), args(submit, Path.of("/dev/stdout")));
        ok("out: /dev/null", false, out -> Files.isRegularFile(Path.of("/dev/null")) ? "/dev/null was replaced" : null,
                args(submit, Path.of("/dev/null")));
        Path real = file("real.csv", "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), real);
        ok("out: a link to a file", false, out -> Files.isSymbolicLink(link) && Files.readString(real).startsWith("ImageId")
                ? null : "the link was replaced", args(submit, link));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.csv"), tmp.resolve("nowhere/x.csv"));
        error("out: a dangling link", false, out -> Files.isSymbolicLink(dangling) ? null : "the link was replaced",
                args(submit, dangling));
        Path folder = Files.createDirectories(tmp.resolve("out-folder"));
        error("out: a folder", false, out -> Files.isDirectory(folder) ? null : "the folder went", args(submit, folder));
        Path missing = tmp.resolve("no/such/folder/s.csv");
        ok("out: in a missing folder (created)", false, out -> Files.readString(missing).startsWith("ImageId,Label\n")
                ? null : "no submission in the new folder", args(submit, missing));
        Path under = sentinel(); // a file on the way: submission.csv/s.csv
        error("out: under a file", false, unchanged(under), args(submit, under.resolve("s.csv")));
        Path socket = tmp.resolve("out.sock");
        var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(socket));
        error("out: a socket", false, out -> Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) ? "the socket was replaced"
                : null, args(submit, socket));
        Path frozen = Files.createDirectories(tmp.resolve("frozen"));
        Path frozenOut = Files.writeString(frozen.resolve("submission.csv"), "ImageId,Label\n1,7\n");
        if (sh("chattr", "+i", frozen.toString())) {
            error("out: in an immutable folder", true, unchanged(frozenOut), args(submit, frozenOut));
            error("train --out: inside an immutable folder", false, absent(frozen.resolve("run")), "train", "--train-csv",
                    train.toString(), "--epochs", "1", "--out", frozen.resolve("run").toString());
        }
        error("preview --out: a folder", false, NONE, "preview", "--train-csv", train.toString(), "--out", folder.toString());
        Path s = sentinel();
        Path stale = Files.createFile(s.resolveSibling(".submission.csv.999999999-k1ll3d.tmp"));
        ok("out: a killed submit's temporary file beside it", true, out -> Files.exists(stale) ? "the stale file stayed"
                : null, args(submit, s));
    }

    String[] args(String[] submit, Path out) {
        String[] a = submit.clone();
        a[2] = model.toString();
        a[4] = test.toString();
        a[6] = out.toString();
        return a;
    }

    void trainCases() throws Exception {
        String header = "label," + Hostile.testHeader();
        badTrain("a header-only CSV", false, "--train-csv", file("train-header.csv", header + "\n").toString());
        badTrain("a label of 10", false, "--train-csv", file("label10.csv", header + "\n10" + ",0".repeat(784) + "\n").toString());
        Path fifo = tmp.resolve("train.fifo");
        if (sh("mkfifo", fifo.toString())) {
            badTrain("a FIFO as --train-csv", false, "--train-csv", fifo.toString());
        }
        badTrain("/dev/urandom as --train-csv", false, "--train-csv", "/dev/urandom");
        badTrain("--val-split 0.999 (no image left)", true, "--val-split", "0.999");
        badTrain("--limit 1 (no image left)", false, "--limit", "1");
        badTrain("--threads 1000", true, "--threads", "1000");
        badTrain("--threads 0", false, "--threads", "0");
        badTrain("--epochs -1", false, "--epochs", "-1");
        badTrain("--batch-size 0", false, "--batch-size", "0");
        badTrain("--val-split 1", false, "--val-split", "1");
        badTrain("--val-split NaN", false, "--val-split", "NaN");
        badTrain("--interpolation cubic", false, "--interpolation", "cubic");
        badTrain("--limit 0", false, "--limit", "0");
        badTrain("--data is a file", false, "--data", train.toString());
        badTrain("--data and --train-csv", false, "--data", tmp.toString(), "--train-csv", train.toString());
        badTrain("--dataset bogus", false, "--dataset", "bogus");
        Path idx = Files.createDirectories(tmp.resolve("idx-truncated"));
        Files.write(idx.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(16 + 100).putInt(0x803).putInt(10).putInt(28)
                .putInt(28).array());
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(18).putInt(0x801).putInt(10).array());
        badTrain("a truncated IDX", false, "--data", idx.toString());
        Path mismatch = Files.createDirectories(tmp.resolve("idx-mismatch"));
        Files.write(mismatch.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(16 + 784).putInt(0x803).putInt(1)
                .putInt(28).putInt(28).array());
        Files.write(mismatch.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(10).putInt(0x801).putInt(2).array());
        badTrain("IDX images and labels of different counts", false, "--data", mismatch.toString());
        Path zeros = Files.createDirectories(tmp.resolve("idx-zeros"));
        Files.createSymbolicLink(zeros.resolve("train-images-idx3-ubyte"), Path.of("/dev/zero"));
        Files.createSymbolicLink(zeros.resolve("train-labels-idx1-ubyte"), Path.of("/dev/zero"));
        badTrain("IDX files linked to /dev/zero", false, "--data", zeros.toString());
        if (FULL) {
            Path huge = Files.createDirectories(tmp.resolve("idx-huge"));
            int n = 900_000;
            try (var out = new GZIPOutputStream(Files.newOutputStream(huge.resolve("train-images-idx3-ubyte.gz")))) {
                out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
                byte[] z = new byte[1 << 20];
                for (long left = (long) n * 784; left > 0; left -= z.length) {
                    out.write(z, 0, (int) Math.min(z.length, left));
                }
            }
            try (var out = new GZIPOutputStream(Files.newOutputStream(huge.resolve("train-labels-idx1-ubyte.gz")))) {
                out.write(ByteBuffer.allocate(8).putInt(0x801).putInt(n).array());
                out.write(new byte[n]);
            }
            badTrain("a gzipped IDX claiming 900,000 images", false, "--data", huge.toString());
        }
        Path run = tmp.resolve("no-validation");
        ok("train: --val-split 0", false, out -> Files.isRegularFile(run.resolve("model.cnn4j")) ? null : "no model",
                "train", "--train-csv", train.toString(), "--val-split", "0", "--epochs", "1", "--no-augment", "--out",
                run.toString());
        // after the run above (cases run in order): a fresh run into it, and resumes that conflict
        Check same = out -> Files.isRegularFile(run.resolve("model.cnn4j")) ? null : "the run was damaged";
        error("train: --out holds a run already", false, same, "train", "--train-csv", train.toString(), "--epochs", "1",
                "--out", run.toString());
        error("train: --resume with another --seed", false, same, "train", "--resume", run.toString(), "--seed", "9");
        error("train: --resume with fewer --epochs than done", false, same, "train", "--resume", run.toString(), "--epochs", "0");
        error("train: --resume of a folder without a checkpoint", false, NONE, "train", "--resume", folderWithout().toString());
        error("train: --resume of a missing folder", false, absent(tmp.resolve("nothing-here")), "train", "--resume",
                tmp.resolve("nothing-here").toString());
        cases.add(new Case("train: a 24 MB heap (the last-resort OutOfMemoryError)", false, Expect.ERROR, List.of("-Xmx24m"),
                List.of("train", "--train-csv", train.toString(), "--epochs", "1", "--out", tmp.resolve("tiny-heap").toString()),
                absent(tmp.resolve("tiny-heap")), 180));
    }

    @org.junit.jupiter.api.AfterAll
    void thaw() {
        sh("chattr", "-i", tmp.resolve("frozen").toString()); // else the temporary folder cannot be deleted
    }

    Path folderWithout() throws IOException {
        return Files.createDirectories(tmp.resolve("no-checkpoint"));
    }

    void otherCases() throws Exception {
        error("an unknown command", false, NONE, "fly");
        error("an unknown option", false, NONE, "predict", "--model", model.toString(), "--frobnicate", png.toString());
        error("--epochs abc", false, NONE, "train", "--epochs", "abc");
        error("evaluate --dataset bogus", false, NONE, "evaluate", "--model", model.toString(), "--csv", train.toString(),
                "--dataset", "bogus");
        error("evaluate: a header-only CSV", false, NONE, "evaluate", "--model", model.toString(), "--csv",
                file("eval-header.csv", "label," + Hostile.testHeader() + "\n").toString());
        ok("evaluate: an MNIST model on --dataset fashion (warns)", false, NONE, "evaluate", "--model", model.toString(),
                "--csv", train.toString(), "--dataset", "fashion");
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("7.png");
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("7.png");
        Files.copy(png, a);
        Files.copy(png, b);
        ok("predict --show: two inputs named 7.png", false, NONE, "predict", "--model", model.toString(), "--show",
                a.toString(), b.toString());
    }

    // ---------------------------------------------------------------- running them

    /**
     * Cases named in {@code -Dcorpus.exclude} (substrings, comma-separated) are skipped: to run the
     * corpus on an older jar without letting it replace the machine's {@code /dev/null}.
     */
    static boolean excluded(String name) {
        String ex = System.getProperty("corpus.exclude", "");
        return !ex.isBlank() && Arrays.stream(ex.split(",")).anyMatch(x -> !x.isBlank() && name.contains(x.strip()));
    }

    List<String> launcher(List<String> jvm) {
        String jar = System.getProperty("corpus.jar");
        if (jar != null) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(jvm);
            cmd.addAll(List.of("-jar", jar));
            return cmd;
        }
        return Hostile.java(FULL, jvm);
    }

    @Test
    void theCorpusGivesNoStackTraceHangOrDamagedOutput() throws Exception {
        int tried = 0, oneLine = 0, ok = 0, stack = 0, hangs = 0, damaged = 0, unexpected = 0;
        StringBuilder table = new StringBuilder(String.format("%-62s %6s %s%n", "case", "status", "stderr (first line)"));
        List<String> problems = new ArrayList<>();
        Path work = Files.createDirectories(tmp.resolve("cwd"));
        for (Case c : cases) {
            if (!FULL && !c.quick() || excluded(c.name())) {
                continue;
            }
            tried++;
            List<String> cmd = launcher(c.jvm());
            cmd.addAll(c.args());
            ProcessBuilder pb = Hostile.builder(cmd, FULL).directory(work.toFile());
            Path out = tmp.resolve("stdout.txt");
            Path err = tmp.resolve("stderr.txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(c.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
            String stdout = Files.readString(out, StandardCharsets.ISO_8859_1);
            String stderr = Files.readString(err, StandardCharsets.ISO_8859_1);
            if (!FULL) {
                // started with --add-modules (no relaunch), the JVM prints this itself; the relaunch
                // filters it (ProcessReliabilityTest#anErrorOfTheRelaunchedJarIsOneLineWithoutTheIncubatorWarning)
                stderr = stderr.replaceFirst("^WARNING: Using incubator modules: [^\n]*\n", "");
            }
            int status = done ? p.exitValue() : -1;
            String verdict;
            boolean trace = stderr.contains("\tat ") || stderr.contains("Exception in thread")
                    || stderr.contains("internal error");
            String damage = c.check().damage(stdout);
            if (!done) {
                hangs++;
                verdict = "HANG";
            } else if (trace) {
                stack++;
                verdict = "STACK TRACE";
            } else if (status == Main.USER_ERROR && stderr.lines().count() == 1 && stderr.startsWith("cnn-mnist: error: ")) {
                oneLine++;
                verdict = c.expect() == Expect.ERROR ? null : "exit 2, expected success";
            } else if (status == 0) {
                ok++;
                verdict = c.expect() == Expect.OK ? null : "exit 0, expected an error (accepted silently)";
            } else {
                verdict = "exit " + status + " with " + stderr.lines().count() + " stderr lines";
            }
            if (damage != null) {
                damaged++;
                verdict = (verdict == null ? "" : verdict + "; ") + "DAMAGED: " + damage;
            }
            if (verdict != null && !verdict.equals("HANG") && !verdict.equals("STACK TRACE") && damage == null) {
                unexpected++;
            }
            if (verdict != null) {
                problems.add(c.name() + ": " + verdict + " | " + stderr.lines().findFirst().orElse(""));
            }
            String first = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
            table.append(String.format("%-62s %6s %s%n", c.name(), done ? Integer.toString(status) : "hang",
                    first.length() > 150 ? first.substring(0, 150) + "..." : first));
        }
        String summary = String.format("tried %d: one-line exit 2 %d, exit 0 %d, stack traces %d, hangs %d, "
                + "damaged outputs %d, unexpected status %d (%s mode)", tried, oneLine, ok, stack, hangs, damaged, unexpected,
                System.getProperty("corpus.jar") != null ? "java -jar" : FULL ? "full, relaunching" : "quick");
        table.append(summary).append('\n');
        System.out.print(table);
        Path report = Path.of("target", "hostile-corpus.txt");
        if (Files.isDirectory(report.getParent())) {
            Files.writeString(report, table);
        }
        assertThat(problems).as(summary).isEmpty();
    }
}
