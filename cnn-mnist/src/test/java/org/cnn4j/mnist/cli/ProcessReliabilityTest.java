package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects of issue 11 that only real processes show: the relaunched child JVM dies with a
 * {@code kill -9} of its parent, two {@code train} runs into one folder cannot both run, stderr
 * carries one line (no incubator warning), {@code --out /dev/stdout} works with stdout redirected to
 * a file, and a data set too large for the heap is refused before it is allocated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessReliabilityTest {
    Path tmp;
    Path train;
    Path model;
    Path test;

    @BeforeAll
    void inputs(@TempDir Path dir) throws Exception {
        tmp = dir;
        train = Hostile.trainCsv(dir.resolve("train.csv"), 600);
        model = Hostile.model(dir.resolve("model.cnn4j"));
        test = Hostile.testCsv(dir.resolve("test.csv"), 5);
    }

    /** A child's output, read line by line as it comes; {@link #await} waits for a line. */
    static final class Watched {
        final Process process;
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread reader;

        Watched(Process p) {
            process = p;
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (Exception e) {
                    // the process died
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        boolean await(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (lines) {
                while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                    long left = end - System.nanoTime();
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        return lines.stream().anyMatch(l -> l.startsWith(prefix));
                    }
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                return true;
            }
        }

        String all() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    static Map<String, FileTime> snapshot(Path dir) throws Exception {
        Map<String, FileTime> m = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                m.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- 2. kill -9 of the parent

    @Test
    void killingTheLaunchingJvmWithSigkillKillsTheRelaunchedOneAndNothingIsWrittenAfter() throws Exception {
        Path run = tmp.resolve("orphan");
        List<String> cmd = Hostile.java(true, List.of("-D" + FaultInjection.BATCH_DELAY + "=300"));
        cmd.addAll(List.of("train", "--train-csv", train.toString(), "--epochs", "3", "--no-augment", "--out", run.toString()));
        Process parent = Hostile.builder(cmd, true).redirectErrorStream(true).start();
        Watched w = new Watched(parent);
        assertThat(w.await("Epoch 1/3", 120)).as(w.all()).isTrue();
        List<ProcessHandle> children = parent.descendants().toList();
        assertThat(children).as("the relaunched JVM").isNotEmpty();
        ProcessHandle child = children.get(0);
        assertThat(child.info().arguments().map(List::of).orElse(List.of())).contains("jdk.incubator.vector");

        parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
        assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).isEqualTo(137);
        Map<String, FileTime> atKill = snapshot(run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child JVM outlived its parent").isFalse();
        // the run had 3 epochs of 6 slow steps ahead: an orphan would have written checkpoints since
        Thread.sleep(3_000);
        assertThat(snapshot(run)).isEqualTo(atKill);
        assertThat(run.resolve("model.cnn4j")).doesNotExist();
    }

    // ---------------------------------------------------------------- 3. two runs into one --out

    @Test
    void twoRunsStartedTogetherIntoOneFolderCannotBothRun() throws Exception {
        Path run = tmp.resolve("race");
        List<Process> ps = new ArrayList<>();
        List<Watched> ws = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = Hostile.java(false, List.of("-D" + FaultInjection.BATCH_DELAY + "=100"));
            cmd.addAll(List.of("train", "--train-csv", train.toString(), "--epochs", "1", "--no-augment", "--out",
                    run.toString()));
            Process p = Hostile.builder(cmd, false).redirectErrorStream(true).start();
            ps.add(p);
            ws.add(new Watched(p));
        }
        for (Process p : ps) {
            assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
        }
        for (Watched w : ws) {
            w.reader.join(5_000);
        }
        int winner = ps.get(0).exitValue() == 0 ? 0 : 1;
        int loser = 1 - winner;
        assertThat(ps.get(winner).exitValue()).as(ws.get(winner).all()).isZero();
        assertThat(ps.get(loser).exitValue()).as(ws.get(loser).all()).isEqualTo(Main.USER_ERROR);
        assertThat(ws.get(loser).all()).contains("cnn-mnist: error: " + run + " is in use by another run (pid "
                + ps.get(winner).pid() + ", train --out " + run + ", started ");
        assertThat(ws.get(loser).all()).doesNotContain("Wrote ");
        assertThat(ws.get(winner).all()).contains("Wrote model.cnn4j");
        assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(2);
    }

    // ---------------------------------------------------------------- smaller: one line on stderr, no JVM warning

    @Test
    void anErrorOfTheRelaunchedJarIsOneLineWithoutTheIncubatorWarning() throws Exception {
        List<String> cmd = Hostile.java(true, List.of());
        cmd.addAll(List.of("predict", "--model", tmp.resolve("missing.cnn4j").toString(), "x.png"));
        Process p = Hostile.builder(cmd, true).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(Main.USER_ERROR);
        assertThat(err).isEqualTo("cnn-mnist: error: " + tmp.resolve("missing.cnn4j") + ": no such model file\n");
        // the child did run with the module: --version names the vector kernels
        List<String> version = Hostile.java(true, List.of());
        version.add("--version");
        Process v = Hostile.builder(version, true).start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String verr = new String(v.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(v.waitFor()).isZero();
        assertThat(out).contains("kernels: vector");
        assertThat(verr).isEmpty();
    }

    @Test
    void theIncubatorWarningFilterPassesEverythingElseThrough() {
        String in = "WARNING: Using incubator modules: jdk.incubator.vector\nWARNING: other\npartial WARNING: Using incubator"
                + " modules: x\nWARNING: Using incubator modules: again\nlast without newline WARN";
        var out = new java.io.ByteArrayOutputStream();
        Relauncher.dropIncubatorWarning(new java.io.ByteArrayInputStream(in.getBytes(StandardCharsets.US_ASCII)), out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("WARNING: other\npartial WARNING: Using incubator"
                + " modules: x\nlast without newline WARN");
    }

    // ---------------------------------------------------------------- 1. --out /dev/stdout with stdout in a file

    @Test
    void submitToDevStdoutWithStdoutRedirectedToAFileKeepsTheFileAndItsContent() throws Exception {
        Path captured = tmp.resolve("stdout.txt");
        List<String> cmd = Hostile.java(true, List.of());
        cmd.addAll(List.of("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out", "/dev/stdout"));
        Process p = Hostile.builder(cmd, true).redirectOutput(captured.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(Files.readString(captured)).startsWith("ImageId,Label\n1,").hasLineCount(6);
        assertThat(err).isEqualTo("Wrote 5 predictions to /dev/stdout\n");
    }

    // ---------------------------------------------------------------- 4. a data set larger than the heap

    @Test
    void anIdxFileClaimingMoreImagesThanTheHeapHoldsIsRefusedBeforeAllocating() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("huge-idx"));
        int n = 900_000; // 706 MB of pixels, a 686 KB gzip of zeros
        try (var out = new GZIPOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte.gz")))) {
            out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (long left = (long) n * 784; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        try (var out = new GZIPOutputStream(Files.newOutputStream(data.resolve("train-labels-idx1-ubyte.gz")))) {
            out.write(ByteBuffer.allocate(8).putInt(0x801).putInt(n).array());
            out.write(new byte[n]);
        }
        List<String> cmd = Hostile.java(true, List.of());
        cmd.addAll(List.of("train", "--data", data.toString(), "--epochs", "1", "--out", tmp.resolve("huge-run").toString()));
        Process p = Hostile.builder(cmd, true).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isEqualTo(Main.USER_ERROR);
        assertThat(err).hasLineCount(1).contains("the header claims 900000 images of 28x28, which need about 1,345 MB")
                .contains("-Xmx");
        assertThat(tmp.resolve("huge-run")).doesNotExist();
    }
}
