package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.cli.CliTest.Result;
import org.cnn4j.mnist.train.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint and resume on real MNIST: a short run ({@code --limit 600 --epochs 3}, 7 steps of 86
 * per epoch) killed with SIGKILL in the middle of epoch 2 and resumed gives the same files, bit for
 * bit, as the same run never stopped; a run that diverges, or whose writes fail (a full disk, an
 * immutable file or folder), stops with one line and leaves every file it had written intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumeTest {
    static final List<String> RUN = List.of("--limit", "600", "--epochs", "3");
    /** Every file a finished run leaves. */
    static final List<String> FILES = List.of("model.cnn4j", Checkpoint.FILE, "history.csv", "curves.png",
            "preview.png", "confusion_matrix.png", "misclassified.png");

    Path tmp;
    Path mnist;
    /** The uninterrupted run. */
    Path reference;
    /** The killed run's checkpoint after epoch 1, and its history.csv. */
    byte[] epoch1Checkpoint;
    byte[] epoch1History;

    @BeforeAll
    void uninterruptedRun(@TempDir Path dir) {
        tmp = dir;
        mnist = CliTest.mnistDir();
        reference = tmp.resolve("reference");
        Result r = CliTest.cli(train(reference));
        assertThat(r.status()).as(r.err()).isZero();
    }

    String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", mnist.toString(), "--out", out.toString()));
        a.addAll(RUN);
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void killedMidEpochWithSigkillThenResumedGivesTheSameBitsAsAnUninterruptedRun() throws Exception {
        Path killed = tmp.resolve("killed");
        List<String> cmd = javaCommand(List.of("-D" + FaultInjection.BATCH_DELAY + "=250"));
        cmd.addAll(List.of(train(killed)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CNN4J_NO_RELAUNCH", "1");
        Process p = pb.start();
        CountDownLatch epoch2 = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.equals("Epoch 2/3")) {
                        epoch2.countDown();
                    }
                }
            } catch (IOException e) {
                // the process died: that is the point
            }
        });
        boolean started = epoch2.await(120, TimeUnit.SECONDS);
        assertThat(started).as("epoch 2 never began:%n%s", log).isTrue();
        // epoch 1's checkpoint is written before epoch 2 begins; 2.5 of its 7 steps (250 ms each) later:
        Thread.sleep(600);
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(5_000);
        assertThat(p.exitValue()).as(log.toString()).isEqualTo(137);

        // what the crash left: the checkpoint and reports of epoch 1, nothing half-written
        assertThat(killed.resolve("model.cnn4j")).doesNotExist();
        assertThat(Files.readAllLines(killed.resolve("history.csv"))).hasSize(2);
        assertThat(ModelFile.loadWithMetadata(killed.resolve(Checkpoint.FILE)).metadata()).containsEntry("epochs_done", "1");
        epoch1Checkpoint = Files.readAllBytes(killed.resolve(Checkpoint.FILE));
        epoch1History = Files.readAllBytes(killed.resolve("history.csv"));

        Result r = CliTest.cli("train", "--resume", killed.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Resuming " + killed + " after epoch 1 of 3").contains("(3 in all)");
        for (String f : List.of("model.cnn4j", Checkpoint.FILE, "history.csv", "preview.png")) {
            assertThat(Files.readAllBytes(killed.resolve(f))).as(f).isEqualTo(Files.readAllBytes(reference.resolve(f)));
        }
        assertNoTemporaryFiles(killed);
    }

    @Test
    @Order(2)
    void aNaNStopsTrainingWithOneLineAndKeepsTheLastGoodCheckpoint() throws Exception {
        assertThat(epoch1Checkpoint).as("the killed run's epoch-1 checkpoint (run the whole class)").isNotNull();
        Path diverged = tmp.resolve("diverged");
        System.setProperty(FaultInjection.POISON_BATCH, "10"); // epoch 2, step 3
        Result r;
        try {
            r = CliTest.cli(train(diverged));
        } finally {
            System.clearProperty(FaultInjection.POISON_BATCH);
        }
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.TRAINING_DIVERGED);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        // NaN pixels give a finite loss (the first convolution's fused ReLU, v > 0 ? v : 0, maps NaN
        // to 0) but a NaN kernel gradient in that layer: only the gradient check sees it
        assertThat(err).startsWith("cnn-mnist: error: training diverged in epoch 2: the gradient of conv2d/kernel became NaN")
                .contains("holds the model after epoch 1").contains("--resume");
        // the same bytes as the epoch-1 checkpoint of the same run killed in epoch 2
        assertThat(Files.readAllBytes(diverged.resolve(Checkpoint.FILE))).isEqualTo(epoch1Checkpoint);
        assertThat(Files.readAllBytes(diverged.resolve("history.csv"))).isEqualTo(epoch1History);
        assertThat(diverged.resolve("model.cnn4j")).doesNotExist();
        assertNoTemporaryFiles(diverged);
    }

    /** A full disk, as RLIMIT_FSIZE makes it: the JVM ignores SIGXFSZ, so the write fails with EFBIG. */
    @Test
    @Order(3)
    void aFullDiskLeavesThePreviousModelCheckpointAndReportsIntact() throws Exception {
        assumeTrue(new File("/bin/bash").canExecute(), "needs bash for ulimit");
        Path run = copyOf(reference, "full-disk");
        Map<String, byte[]> before = snapshot(run);
        List<String> java = javaCommand(List.of());
        java.addAll(List.of("train", "--resume", run.toString(), "--epochs", "4"));
        StringBuilder shell = new StringBuilder("export CNN4J_NO_RELAUNCH=1; ulimit -f 2048; exec"); // 2 MiB: less than a checkpoint
        for (String a : java) {
            shell.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        Process p = new ProcessBuilder("/bin/bash", "-c", shell.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(Main.USER_ERROR);
        assertThat(out).contains("Epoch 4/4").contains("cnn-mnist: error: " + run.resolve(Checkpoint.FILE)
                + ": cannot write: File too large; the previous checkpoint is unchanged");
        assertThat(snapshot(run)).containsExactlyInAnyOrderEntriesOf(before);
        assertNoTemporaryFiles(run);
    }

    /**
     * Read-only, as root sees it: tests run as root, which ignores permission bits, so the
     * immutable attribute (chattr +i) stands in. An immutable checkpoint makes the rename fail after
     * the new bytes were written; an immutable folder refuses even the temporary file.
     */
    @Test
    @Order(4)
    void aReadOnlyCheckpointOrFolderLeavesEverythingIntact() throws Exception {
        Path run = copyOf(reference, "read-only");
        Map<String, byte[]> before = snapshot(run);
        Path checkpoint = run.resolve(Checkpoint.FILE);
        assumeTrue(chattr("+i", checkpoint), "chattr +i is not available here");
        Result r;
        try {
            r = CliTest.cli("train", "--resume", run.toString(), "--epochs", "4");
        } finally {
            chattr("-i", checkpoint);
        }
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.out()).contains("Epoch 4/4");
        assertThat(r.err().strip()).startsWith("cnn-mnist: error: " + checkpoint + ": cannot write: ")
                .endsWith("; the previous checkpoint is unchanged").hasLineCount(1);
        assertThat(snapshot(run)).containsExactlyInAnyOrderEntriesOf(before);
        assertNoTemporaryFiles(run);

        assertThat(chattr("+i", run)).isTrue();
        try {
            r = CliTest.cli("train", "--resume", run.toString(), "--epochs", "4");
            assertThat(r.status()).isEqualTo(Main.USER_ERROR);
            assertThat(r.err()).contains("cannot write the output folder");
            org.cnn4j.model.Sequential m = ModelFile.load(run.resolve("model.cnn4j"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelFile.save(m, run.resolve("model.cnn4j")))
                    .isInstanceOf(IOException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.cnn4j.mnist.train.Reports.history(
                    new org.cnn4j.model.History(), run)).hasMessageStartingWith(run.resolve("history.csv") + ": cannot write: ");
        } finally {
            chattr("-i", run);
        }
        assertThat(snapshot(run)).containsExactlyInAnyOrderEntriesOf(before);
        assertNoTemporaryFiles(run);
    }

    @Test
    @Order(5)
    void resumeRejectsConflictingOptionsAndFoldersWithoutACheckpoint() throws Exception {
        assertUserError(CliTest.cli("train", "--resume", reference.toString(), "--batch-size", "32"),
                "--batch-size conflicts with the checkpoint", "--batch-size 86");
        assertUserError(CliTest.cli("train", "--resume", reference.toString(), "--no-augment"), "--no-augment conflicts");
        assertUserError(CliTest.cli("train", "--resume", reference.toString(), "--epochs", "2"), "already done 3 epochs");
        assertUserError(CliTest.cli("train", "--resume", reference.toString(), "--out", tmp.resolve("x").toString()),
                "--out");
        assertUserError(CliTest.cli(train(reference)), "holds a run already", "--resume");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(CliTest.cli("train", "--resume", empty.toString()), "no checkpoint to resume from");
        Path corrupt = copyOf(reference, "corrupt");
        byte[] b = Files.readAllBytes(corrupt.resolve(Checkpoint.FILE));
        b[b.length / 3] ^= 1;
        Files.write(corrupt.resolve(Checkpoint.FILE), b);
        assertUserError(CliTest.cli("train", "--resume", corrupt.toString()), "checksum");
        Path model = copyOf(reference, "model-only");
        Files.copy(model.resolve("model.cnn4j"), model.resolve(Checkpoint.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertUserError(CliTest.cli("train", "--resume", model.toString()), "not a checkpoint");
    }

    private static void assertUserError(Result r, String... mustContain) {
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("cnn-mnist: error: ").contains(mustContain);
    }

    /** {@code java --add-modules jdk.incubator.vector <jvmArgs> -cp <this test's class path> Main}. */
    static List<String> javaCommand(List<String> jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g", "-Djava.awt.headless=true"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    private Path copyOf(Path run, String name) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(name));
        for (String f : FILES) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                // the run folder's lock file names its last holder (a pid), so it differs run to run
                if (!p.getFileName().toString().equals(org.cnn4j.mnist.train.RunFolder.LOCK)) {
                    m.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    private static boolean chattr(String flag, Path p) {
        try {
            Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            c.getInputStream().readAllBytes();
            return c.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
