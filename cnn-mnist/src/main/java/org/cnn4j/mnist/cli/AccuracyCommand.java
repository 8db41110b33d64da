package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.accuracy.AccuracyTable;
import org.cnn4j.mnist.accuracy.Preset;
import org.cnn4j.mnist.accuracy.RunResult;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.OutputFiles;
import org.cnn4j.mnist.train.Checkpoint;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.Split;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The accuracy protocol of {@code docs/accuracy.md}: the seed recipe ({@code train}) once per seed
 * and preset, each model evaluated on the MNIST test set, and a table of every run with the mean and
 * standard deviation per preset. Each run lives in {@code OUT/<preset>/seed-<n>}; a finished run
 * leaves {@code result.properties} there, so running the same command again after a kill skips the
 * finished runs, resumes the interrupted one from its last epoch checkpoint and starts the rest.
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Run the accuracy protocol (docs/accuracy.md): the seed recipe over several seeds and presets, "
                + "evaluated on the MNIST test set; writes results.csv and results.md. Run it again to continue.")
final class AccuracyCommand implements Callable<Integer> {
    /** Labelled images of the Kaggle scale: Kaggle's train.csv size, split 37,800 / 4,200. */
    static final int KAGGLE_IMAGES = 42_000;
    static final double VAL_SPLIT = 0.1;

    @Option(names = "--out", defaultValue = "runs/accuracy", paramLabel = "DIR",
            description = "Protocol folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--scale", defaultValue = "kaggle", paramLabel = "S",
            description = "kaggle: the first 42,000 of the 60k MNIST training images, split 37,800 / 4,200; "
                    + "full: all 60,000, split 54,000 / 6,000 (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images, split 90/10 "
            + "(smoke runs; replaces --scale).")
    Integer limit;

    @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", paramLabel = "S,...",
            description = "Seeds, one run each (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--presets", defaultValue = "default", split = ",", paramLabel = "P,...",
            description = "Ablation presets: default, kernel-augment, nearest, eps-inside, keras-steps, "
                    + "legacy-patience, kernel-2017, "
                    + "or all (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "86", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate on the first N test images only (smoke runs).")
    Integer testLimit;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of MNIST IDX files with the test set "
            + "(default: the fetched MNIST, as fetch).")
    Path dataDir;

    @Mixin
    DebugOption debug = new DebugOption();

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the math (default: the number of cores).")
    Integer threads;

    @Option(names = "--dry-run", description = "Print the train commands without running them.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintStream log = System.out;
        List<Preset> chosen = presets();
        validate();
        DataOptions data = new DataOptions();
        data.dataDir = dataDir;
        data.dataset = "mnist";
        DataOptions.Loaded loaded = data.load(log);
        if (loaded.test() == null) {
            throw new InputException((dataDir == null ? "the MNIST cache" : dataDir.toString())
                    + ": no test set (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte) to evaluate on");
        }
        if (loaded.test().size() == 0) {
            // before the folder and the runs: a table of test accuracies "on 0 images" would record 0.0 as a result
            throw new InputException((dataDir == null ? "the MNIST cache" : dataDir.toString())
                    + ": the test set (t10k-images-idx3-ubyte) holds 0 images: no test accuracy to measure");
        }
        int images = limit != null ? Math.min(limit, loaded.train().size())
                : scale.equals("full") ? loaded.train().size() : Math.min(KAGGLE_IMAGES, loaded.train().size());
        Split sizes = Split.of(images, VAL_SPLIT, 0);
        int trainImages = sizes.train().length, valImages = sizes.validation().length;
        LabeledImages test = testLimit == null ? loaded.test()
                : loaded.test().slice(0, Math.min(testLimit, loaded.test().size()));
        createFolder(out);
        checkSameProtocol(images, test.size());
        log.printf(Locale.ROOT, "Accuracy protocol in %s: %,d train / %,d validation of the first %,d training images, "
                + "%d epochs, batch %d, test %,d images; presets %s; seeds %s%n", out, trainImages, valImages, images,
                epochs, batchSize, test.size(), chosen.stream().map(Preset::id).toList(), seeds);

        List<RunResult> results = new ArrayList<>();
        for (Preset preset : chosen) {
            for (long seed : seeds) {
                Path dir = out.resolve(preset.id()).resolve("seed-" + seed);
                Path resultFile = dir.resolve("result.properties");
                if (Files.exists(resultFile)) {
                    RunResult r = readResult(resultFile);
                    log.printf(Locale.ROOT, "%s seed %d: done before (val %.4f, test %.4f)%n", preset.id(), seed,
                            r.valAccuracy(), r.testAccuracy());
                    results.add(r);
                    continue;
                }
                List<String> args = trainArgs(preset, seed, dir, images, trainImages);
                log.println((dryRun ? "would run: " : "running: ") + "cnn-mnist " + String.join(" ", args));
                if (dryRun) {
                    continue;
                }
                long start = System.nanoTime();
                int status = train(args, dir);
                if (status != 0) {
                    throw new InputException(preset.id() + " seed " + seed + ": train stopped with status " + status
                            + " (see " + dir.resolve("train.log") + "); run the same accuracy command again to resume it");
                }
                double minutes = (System.nanoTime() - start) / 60e9;
                RunResult r = evaluate(preset, seed, dir, test, trainImages, valImages, minutes);
                OutputFiles.write(resultFile, o -> o.write(r.toProperties().getBytes(StandardCharsets.ISO_8859_1)));
                log.printf(Locale.ROOT, "%s seed %d: val %.4f, test %.4f%n", preset.id(), seed, r.valAccuracy(),
                        r.testAccuracy());
                results.add(r);
                writeTables(results, images, test.size());
            }
        }
        if (!dryRun && !results.isEmpty()) {
            writeTables(results, images, test.size());
            log.print(AccuracyTable.markdown(title(images, test.size()), results));
            log.println("Wrote " + out.resolve("results.csv") + " and " + out.resolve("results.md"));
        }
        return 0;
    }

    private List<Preset> presets() {
        List<Preset> chosen = new ArrayList<>();
        for (String id : presets) {
            if (id.trim().equalsIgnoreCase("all")) {
                for (Preset p : Preset.values()) {
                    if (!chosen.contains(p)) {
                        chosen.add(p);
                    }
                }
                continue;
            }
            try {
                Preset p = Preset.byId(id);
                if (!chosen.contains(p)) {
                    chosen.add(p);
                }
            } catch (IllegalArgumentException e) {
                throw new InputException("--presets: " + e.getMessage());
            }
        }
        return chosen;
    }

    private void validate() {
        if (!scale.equals("kaggle") && !scale.equals("full")) {
            throw new InputException("--scale must be kaggle or full, got " + scale);
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new InputException("--seeds must list distinct seeds, got " + seeds);
        }
        if (epochs < 1 || batchSize < 1) {
            throw new InputException("--epochs and --batch-size must be >= 1, got " + epochs + " and " + batchSize);
        }
        if ((limit != null && limit < 2) || (testLimit != null && testLimit < 1) || (threads != null && threads < 1)) {
            throw new InputException("--limit must be >= 2, --test-limit and --threads >= 1");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out + ": --out names a file, not a folder");
        }
    }

    /** The train command line of one run: a new run, or the continuation of a stopped one. */
    private List<String> trainArgs(Preset preset, long seed, Path dir, int images, int trainImages) {
        List<String> a = new ArrayList<>(List.of("train"));
        if (Files.exists(dir.resolve(Checkpoint.FILE))) {
            a.addAll(List.of("--resume", dir.toString()));
        } else {
            a.addAll(List.of("--out", dir.toString(), "--seed", Long.toString(seed), "--epochs", Integer.toString(epochs),
                    "--batch-size", Integer.toString(batchSize), "--val-split", Double.toString(VAL_SPLIT),
                    "--limit", Integer.toString(images)));
            if (dataDir != null) {
                a.addAll(List.of("--data", dataDir.toString()));
            }
            a.addAll(preset.trainOptions(trainImages, batchSize));
        }
        if (threads != null) {
            a.addAll(List.of("--threads", Integer.toString(threads)));
        }
        return a;
    }

    /** Runs train in this JVM, its output going both to the console and to the run's train.log. */
    private static int train(List<String> args, Path dir) throws IOException {
        createFolder(dir);
        PrintStream console = System.out;
        OutputStream file;
        try {
            file = Files.newOutputStream(dir.resolve("train.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(dir.resolve("train.log"), e);
        }
        try (file;
                PrintStream tee = new PrintStream(new Tee(console, file), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            return Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(console);
        }
    }

    /** Creates {@code dir} and its parents; a file in the way (or no permission) is a user's mistake, one line. */
    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            Path blocker = dir;
            while (blocker != null && !Files.exists(blocker)) {
                blocker = blocker.getParent();
            }
            throw new InputException(blocker != null && !Files.isDirectory(blocker)
                    ? blocker + ": a file, where a folder is needed for " + dir
                    : dir + ": cannot create the folder: " + OutputFiles.reason(e), e);
        }
    }

    private static RunResult evaluate(Preset preset, long seed, Path dir, LabeledImages test, int trainImages,
            int valImages, double minutes) {
        double[] val = lastValidation(dir.resolve("history.csv"));
        Sequential model = ModelLoader.loadDigitModel(dir.resolve("model.cnn4j"));
        Evaluation e = model.evaluate(new ImageDataset(test, null, null, 0), 500);
        return new RunResult(preset.id(), seed, (int) val[2], trainImages, valImages, test.size(), val[0], val[1],
                e.accuracy(), e.loss(), minutes);
    }

    /** {val_accuracy, val_loss, epochs} from the last row of a run's history.csv. */
    static double[] lastValidation(Path history) {
        List<String> lines;
        try {
            lines = Files.readAllLines(history, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(history + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (lines.size() < 2 || !lines.get(0).equals("epoch,loss,accuracy,val_loss,val_accuracy,lr")) {
            throw new InputException(history + ": not a history with at least one epoch");
        }
        String[] f = lines.get(lines.size() - 1).split(",", -1);
        try {
            return new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[3]), Integer.parseInt(f[0])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new InputException(history + ": row " + lines.size() + " has no validation figures");
        }
    }

    private static RunResult readResult(Path file) {
        try {
            return RunResult.parse(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage() + " (delete it to redo that run's evaluation)", e);
        }
    }

    /** A protocol folder holds one protocol: the settings that make runs comparable must not change. */
    private void checkSameProtocol(int images, int testImages) {
        Map<String, String> now = new LinkedHashMap<>();
        now.put("images", Integer.toString(images));
        now.put("epochs", Integer.toString(epochs));
        now.put("batch_size", Integer.toString(batchSize));
        now.put("test_images", Integer.toString(testImages));
        now.put("data", dataDir == null ? "" : dataDir.toAbsolutePath().normalize().toString());
        Path file = out.resolve("protocol.properties");
        java.util.Properties p = new java.util.Properties();
        if (Files.exists(file)) {
            try (var r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new InputException(file + ": unreadable (" + e.getMessage() + ")", e);
            }
            for (Map.Entry<String, String> e : now.entrySet()) {
                if (!e.getValue().equals(p.getProperty(e.getKey()))) {
                    throw new InputException(out + " holds a protocol with " + e.getKey() + " = "
                            + p.getProperty(e.getKey()) + ", not " + e.getValue() + ": choose another --out");
                }
            }
            return;
        }
        if (dryRun) {
            return;
        }
        now.forEach(p::setProperty);
        OutputFiles.write(file, o -> p.store(o, "settings of this accuracy protocol folder"));
    }

    private String title(int images, int testImages) {
        return String.format(Locale.ROOT, "Accuracy protocol: %,d labelled MNIST training images (90/10 split), "
                + "%d epochs, batch %d, %,d MNIST test images", images, epochs, batchSize, testImages);
    }

    /** results.csv (every run) and results.md (the summary), rewritten atomically after every run. */
    private void writeTables(List<RunResult> results, int images, int testImages) {
        String csv = AccuracyTable.csv(results);
        String md = AccuracyTable.markdown(title(images, testImages), results);
        OutputFiles.write(out.resolve("results.csv"), o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
        OutputFiles.write(out.resolve("results.md"), o -> o.write(md.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            flush(); // the console stays open; the file is closed by its owner
        }
    }
}
