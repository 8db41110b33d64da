package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnn4j.mnist.cli.CliTest.Result;
import org.cnn4j.mnist.data.OutputFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects of issue 11 that one process shows, each reproduced through the CLI (in this JVM):
 * special files as outputs and inputs, empty and non-finite inputs, {@code --val-split 0}, runs that
 * fail before their first epoch, bounds on {@code --threads}, stale temporary files, and clearer
 * messages. The ones that need real processes (kill -9, two runs at once) are in
 * {@link ProcessReliabilityTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilityTest {
    Path tmp;
    Path model;
    Path train;
    Path test;

    @BeforeAll
    void inputs(@TempDir Path dir) throws Exception {
        tmp = dir;
        model = Hostile.model(dir.resolve("model.cnn4j"));
        train = Hostile.trainCsv(dir.resolve("train.csv"), 200);
        test = Hostile.testCsv(dir.resolve("test.csv"), 20);
    }

    static boolean run(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
    }

    /** One line on stderr, exit 2, and the line says {@code what}. */
    static void assertOneLineError(Result r, String what) {
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("cnn-mnist: error: ").contains(what);
    }

    // ---------------------------------------------------------------- 1. special files as outputs

    @Test
    void submitIntoADeviceNodeWritesIntoItAndTheNodeStays() throws Exception {
        Path node = tmp.resolve("devnull");
        assumeTrue(run("mknod", node.toString(), "c", "1", "3"), "mknod needs root");
        Object mode = Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        Result r = CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out", node.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(mode);
        assertThat(Files.isRegularFile(node)).isFalse();
        assertThat(Files.size(node)).isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void submitIntoAFifoGivesItsReaderTheSubmission() throws Exception {
        Path fifo = tmp.resolve("submission.fifo");
        assumeTrue(run("mkfifo", fifo.toString()), "mkfifo failed");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Result r = CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out", fifo.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String csv = reader.get(30, TimeUnit.SECONDS);
        assertThat(csv).startsWith("ImageId,Label\n1,").hasLineCount(21);
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void aLinkAsOutputStaysALink() throws Exception {
        Path real = Files.writeString(tmp.resolve("real-submission.csv"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("linked-submission.csv"), real);
        Result r = CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out", link.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).startsWith("ImageId,Label\n");
    }

    // ---------------------------------------------------------------- 5. special files as inputs

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFifoOrADeviceAsAnInputIsOneLineNotAHangOrAnOutOfMemoryError() throws Exception {
        Path fifo = tmp.resolve("input.fifo");
        assumeTrue(run("mkfifo", fifo.toString()), "mkfifo failed");
        Path out = tmp.resolve("never.csv");
        for (String input : List.of(fifo.toString(), "/dev/zero", "/dev/urandom")) {
            assertOneLineError(CliTest.cli("predict", "--model", input, test.toString()), input + ": not a regular file");
            assertOneLineError(CliTest.cli("submit", "--model", model.toString(), "--test-csv", input, "--out",
                    out.toString()), input + ": not a regular file");
            assertOneLineError(CliTest.cli("evaluate", "--model", model.toString(), "--csv", input),
                    input + ": not a regular file");
            assertOneLineError(CliTest.cli("train", "--train-csv", input, "--epochs", "1", "--out",
                    tmp.resolve("never-run").toString()), input + ": not a regular file");
        }
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("never-run")).doesNotExist();
    }

    // ---------------------------------------------------------------- 6, 8, 10. nothing to train on, or nothing to predict

    @Test
    void headerOnlyFilesAreRefusedAndWriteNothing() throws Exception {
        Path headerOnlyTest = Files.writeString(tmp.resolve("header-test.csv"), Hostile.testHeader() + "\n");
        Path headerOnlyTrain = Files.writeString(tmp.resolve("header-train.csv"), "label," + Hostile.testHeader() + "\n");
        Path out = tmp.resolve("empty-submission.csv");
        assertOneLineError(CliTest.cli("submit", "--model", model.toString(), "--test-csv", headerOnlyTest.toString(),
                "--out", out.toString()), headerOnlyTest + ": no images (only a header)");
        assertThat(out).doesNotExist();
        assertOneLineError(CliTest.cli("evaluate", "--model", model.toString(), "--csv", headerOnlyTrain.toString()),
                headerOnlyTrain + ": no images (only a header)");
        Path run = tmp.resolve("header-only-run");
        assertOneLineError(CliTest.cli("train", "--train-csv", headerOnlyTrain.toString(), "--epochs", "1", "--out",
                run.toString()), "no labelled images to train on");
        assertThat(run).doesNotExist();
    }

    @Test
    void trainingOnZeroImagesIsRefusedAndLeavesNoFolder() {
        Path run = tmp.resolve("zero-run");
        assertOneLineError(CliTest.cli("train", "--train-csv", train.toString(), "--val-split", "0.999", "--epochs", "1",
                "--out", run.toString()), "--val-split 0.999 on 200 images leaves none to train on");
        assertOneLineError(CliTest.cli("train", "--train-csv", train.toString(), "--limit", "1", "--epochs", "1",
                "--out", run.toString()), "--val-split 0.1 on 1 images leaves none to train on");
        assertThat(run).doesNotExist();
    }

    @Test
    void valSplitZeroTrainsOnEveryImageWatchingTheTrainingAccuracyAndCanBeResumed() throws Exception {
        Path run = tmp.resolve("no-validation");
        Result r = CliTest.cli("train", "--train-csv", train.toString(), "--val-split", "0", "--epochs", "1", "--no-augment",
                "--out", run.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Split: 200 train / 0 validation")
                .contains("No validation set (--val-split 0): ReduceLROnPlateau monitors the training accuracy")
                .contains("Wrote model.cnn4j, history.csv, curves.png, preview.png, report.html, checkpoint.cnn4j");
        assertThat(run.resolve("model.cnn4j")).isRegularFile();
        Result resumed = CliTest.cli("train", "--resume", run.toString(), "--epochs", "2");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(3);
    }

    @Test
    void aRunThatFailsBeforeItsFirstEpochEndsLeavesNoHalfRunFolder() throws Exception {
        Path run = tmp.resolve("diverges-at-once");
        System.setProperty(FaultInjection.POISON_BATCH, "1");
        Result r;
        try {
            r = CliTest.cli("train", "--train-csv", train.toString(), "--epochs", "1", "--out", run.toString());
        } finally {
            System.clearProperty(FaultInjection.POISON_BATCH);
        }
        assertThat(r.status()).as(r.err()).isEqualTo(Main.TRAINING_DIVERGED);
        assertThat(r.err()).contains("nothing was kept in " + run).hasLineCount(1);
        assertThat(run).doesNotExist();
        // a folder the user made keeps what was in it; only the run's own files go
        Path mine = Files.createDirectories(tmp.resolve("users-folder"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        System.setProperty(FaultInjection.POISON_BATCH, "1");
        try {
            r = CliTest.cli("train", "--train-csv", train.toString(), "--epochs", "1", "--out", mine.toString());
        } finally {
            System.clearProperty(FaultInjection.POISON_BATCH);
        }
        assertThat(r.status()).isEqualTo(Main.TRAINING_DIVERGED);
        try (var files = Files.list(mine)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", ".lock");
        }
        // and the folder takes a fresh run (it used to refuse both a new run and --resume)
        Result again = CliTest.cli("train", "--train-csv", train.toString(), "--epochs", "1", "--no-augment", "--out",
                mine.toString());
        assertThat(again.status()).as(again.err()).isZero();
    }

    // ---------------------------------------------------------------- 4. bounds

    @Test
    void threadsAreBoundedByTheCores() {
        Path run = tmp.resolve("many-threads");
        assertOneLineError(CliTest.cli("train", "--train-csv", train.toString(), "--threads", "1000", "--out", run.toString()),
                "--threads must be 1.." + Runtime.getRuntime().availableProcessors());
        assertThat(run).doesNotExist();
    }

    // ---------------------------------------------------------------- 9. non-finite weights

    @Test
    void modelsWithNanOrInfiniteWeightsAreRefused() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Path m = Hostile.modelWithWeight(tmp.resolve("bad-" + bad + ".cnn4j"), bad);
            Path out = tmp.resolve("nan-submission.csv");
            assertOneLineError(CliTest.cli("submit", "--model", m.toString(), "--test-csv", test.toString(), "--out",
                    out.toString()), m + ": layer 1, weight array 1, holds " + bad + " at index 0");
            assertThat(out).doesNotExist();
        }
    }

    // ---------------------------------------------------------------- 10, smaller: writes checked first, leftovers cleaned

    @Test
    void submitChecksItsOutputBeforeReadingAnything() {
        // a missing folder is created (as for every output), but a file on the way cannot be
        Path out = model.resolve("no-such-folder").resolve("submission.csv");
        // the test CSV does not exist either: the output is checked first
        assertOneLineError(CliTest.cli("submit", "--model", model.toString(), "--test-csv",
                tmp.resolve("missing.csv").toString(), "--out", out.toString()), out + ": cannot write: " + model
                + " is not a folder");
    }

    @Test
    void staleTemporaryFilesOfAKilledSubmitAreRemoved() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path dir = Files.createDirectories(tmp.resolve("stale"));
        Path leftover = Files.createFile(dir.resolve(".submission.csv." + dead.pid() + "-k1ll3d.tmp"));
        Path older = Files.createFile(dir.resolve(".submission.csv.2x7q9w.tmp"));
        Result r = CliTest.cli("submit", "--model", model.toString(), "--test-csv", test.toString(), "--out",
                dir.resolve("submission.csv").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(leftover).doesNotExist();
        assertThat(older).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("submission.csv"));
        }
    }

    @Test
    void fileSystemErrorsSayTheirReason() throws Exception {
        assertThat(OutputFiles.reason(new FileSystemException("out/a", null, "Read-only file system")))
                .isEqualTo("Read-only file system");
        Path frozen = Files.createDirectories(tmp.resolve("frozen"));
        assumeTrue(run("chattr", "+i", frozen.toString()), "chattr +i is not available");
        try {
            Result r = CliTest.cli("train", "--train-csv", train.toString(), "--epochs", "1", "--out",
                    frozen.resolve("run").toString());
            assertOneLineError(r, frozen.resolve("run") + ": cannot write the output folder: Operation not permitted");
        } finally {
            run("chattr", "-i", frozen.toString());
        }
    }

    // ---------------------------------------------------------------- smaller: decoder causes, --show names, data set

    @Test
    void aPngThatOverflowsTheDecoderSaysWhy() throws Exception {
        Path png = Hostile.overflowingPng(tmp.resolve("overflow.png"), 39_000_000);
        Result r = CliTest.cli("predict", "--model", model.toString(), png.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).hasLineCount(1).startsWith("cnn-mnist: error: " + png + ": ");
        // the JDK's message is "Caught exception during read: " with nothing after it; the cause follows now
        assertThat(r.err().strip()).doesNotEndWith(":").matches(".*(Exception|Error|overflow|size).*");
    }

    @Test
    void previewsOfInputsWithTheSameNameDoNotOverwriteEachOther() {
        List<Path> names = PredictCommand.previewNames(List.of(Path.of("a/7.png"), Path.of("b/7.png"), Path.of("7.png"),
                Path.of("c/8.png")));
        assertThat(names).containsExactly(Path.of("7.png.28x28.png"), Path.of("7.png.2.28x28.png"),
                Path.of("7.png.3.28x28.png"), Path.of("8.png.28x28.png"));
    }

    @Test
    void evaluatingAnMnistModelOnFashionWarns() {
        Result fashion = CliTest.cli("evaluate", "--model", model.toString(), "--csv", train.toString(), "--dataset", "fashion");
        assertThat(fashion.status()).as(fashion.err()).isZero();
        assertThat(fashion.err()).isEqualTo("cnn-mnist: warning: " + model + " was trained on mnist, not on fashion "
                + "(--dataset fashion): its accuracy there means little" + System.lineSeparator());
        Result mnist = CliTest.cli("evaluate", "--model", model.toString(), "--csv", train.toString());
        assertThat(mnist.status()).isZero();
        assertThat(mnist.err()).isEmpty();
    }
}
