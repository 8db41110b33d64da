package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.AugmentConfig;
import org.cnn4j.mnist.augment.Augmenter;
import org.cnn4j.mnist.augment.Interpolation;
import org.cnn4j.mnist.data.AtomicFiles;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.train.Checkpoint;
import org.cnn4j.mnist.train.CheckpointWriter;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.ProgressBar;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.mnist.train.Split;
import org.cnn4j.model.Callback;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.History;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.model.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The seed pipeline end to end: load, check, preview, split, train with augmentation, report, save.
 * Every epoch end leaves a checkpoint and the reports so far in the run folder; {@code --resume DIR}
 * continues a stopped run exactly as if it had never stopped.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the Kaggle digit-recognizer CNN and write the model and its reports.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    AblationOptions ablation = new AblationOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<timestamp>).")
    Path out;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training data (default: ${DEFAULT-VALUE}, the seed recipe).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "86", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction held out for validation (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--seed", defaultValue = "2", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-augment", description = "Train on the images as they are.")
    boolean noAugment;

    @Option(names = "--interpolation", defaultValue = "bilinear", description = "Augmentation resampling: bilinear or nearest (default: ${DEFAULT-VALUE}).")
    String interpolation;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N labelled images (quick runs).")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the math (default: the number of cores).")
    Integer threads;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its last checkpoint "
            + "(written at every epoch end). The options come from the checkpoint; --epochs may change the total.")
    Path resume;

    @Option(names = "--debug", description = "Print stack traces.")
    boolean debug;

    @Spec
    CommandSpec spec;

    /** The options that decide the result of a run, as stored in its checkpoint. */
    private static final List<String> RUN_OPTIONS = List.of("--data", "--train-csv", "--dataset", "--seed", "--epochs",
            "--batch-size", "--val-split", "--limit", "--no-augment", "--interpolation");

    @Override
    public Integer call() throws IOException {
        PrintStream log = System.out;
        Checkpoint.Saved saved = null;
        Path dir;
        if (resume != null) {
            saved = Checkpoint.load(resume);
            adoptOptions(saved);
            dir = resume;
        } else {
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (Files.exists(dir.resolve(Checkpoint.FILE))) {
                throw new InputException(dir + " holds a run already (" + Checkpoint.FILE + "): continue it with --resume "
                        + dir + ", or choose another --out");
            }
        }
        validate();
        if (saved != null && epochs < saved.epochsDone()) {
            throw new InputException("--epochs " + epochs + ": the run in " + resume + " has already done "
                    + saved.epochsDone() + " epochs");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Reports.prepareOutputDir(dir);
        if (saved != null) {
            try {
                removeStaleTemporaryFiles(dir);
            } catch (IOException e) {
                throw new InputException(dir + ": cannot clean up the killed run's temporary files (" + e + ")", e);
            }
        }

        // 1-2: load and check
        DataOptions.Loaded loaded = data.load(log);
        LabeledImages all = loaded.train();
        if (limit != null) {
            all = all.slice(0, Math.min(limit, all.size()));
        }
        log.printf("Data: %,d labelled images from %s%n", all.size(), loaded.source());
        String digest = Checkpoint.digest(all);
        if (saved != null && !saved.dataDigest().equals(digest)) {
            throw new InputException(loaded.source() + ": the training data changed since the checkpoint in " + resume
                    + " was written (now " + digest + ", then " + saved.dataDigest() + ")");
        }
        log.print(Reports.integritySummary(all));

        // 3-4: preview of 25 random images (scaling /255 happens as batches are filled); its own stream
        Path preview = dir.resolve("preview.png");
        if (saved == null || !Files.exists(preview)) {
            Reports.preview(all, preview, new Rng(seed));
        }

        // 5-6: one-hot targets are made per batch; seeded split
        Split split = Split.of(all.size(), valSplit, seed);
        Augmenter augmenter = noAugment ? null : new Augmenter(AugmentConfig.kaggleKernel().toBuilder()
                .interpolation(Interpolation.valueOf(interpolation.toUpperCase(Locale.ROOT)))
                .center(ablation.centerConvention()).build());
        ImageDataset train = new ImageDataset(all, split.train(), augmenter, seed + 1);
        ImageDataset val = new ImageDataset(all, split.validation(), null, seed);
        log.printf("Split: %,d train / %,d validation (seed %d); augmentation %s%n", train.size(), val.size(), seed,
                augmenter == null ? "off" : "on (rotation 10, zoom 0.1, shifts 0.1, " + interpolation + ", centre "
                        + ablation.center + ")");

        // 7-8: the seed CNN with RMSprop and cross-entropy (from the checkpoint when resuming)
        Sequential model = ModelZoo.digitRecognizer(1, all.rows(), all.cols(), LabeledImages.CLASSES, seed);
        ablation.applyTo(model);
        ReduceLROnPlateau lr = new ReduceLROnPlateau("val_accuracy", 0.5, 3).minLr(1e-5).verbose(true);
        ablation.applyTo(lr);
        History prior = new History();
        if (saved != null) {
            if (!saved.model().summary().equals(model.summary())) {
                throw new InputException(resume.resolve(Checkpoint.FILE) + ": the checkpoint's model is not the "
                        + "digit-recognizer network this command trains");
            }
            model = saved.model();
            saved.restore(model, train, lr);
            prior = saved.history();
            log.printf("Resuming %s after epoch %d of %d (learning rate %s)%n", dir, saved.epochsDone(), epochs,
                    model.optimizer().learningRate());
        }
        log.print(model.summary());
        log.printf("Kernels: %s, threads: %d%n", Kernels.get().name(), Parallel.threads());

        // 9-10: training with validation every epoch and ReduceLROnPlateau(val_accuracy); the
        // checkpoint comes after the scheduler so that it holds the next epoch's learning rate
        boolean terminal = System.console() != null && System.console().isTerminal();
        CheckpointWriter checkpoints = new CheckpointWriter(dir, train, lr, prior, runOptions(), digest, saved == null);
        List<Callback> callbacks = new ArrayList<>(List.of(new ProgressBar(log, terminal), lr, checkpoints));
        Callback delay = FaultInjection.batchDelay();
        if (delay != null) {
            callbacks.add(delay);
        }
        int initialEpoch = saved == null ? 0 : saved.epochsDone();
        long start = System.nanoTime();
        try {
            model.fit(FaultInjection.poison(train), ablation.applyTo(new FitOptions()).batchSize(batchSize).epochs(epochs)
                    .initialEpoch(initialEpoch).validation(val.size() > 0 ? val : null)
                    .callbacks(callbacks.toArray(Callback[]::new)));
        } catch (TrainingDivergedException e) {
            int done = checkpoints.history().epochs();
            throw new TrainingDivergedException("training diverged in epoch " + (done + 1) + ": " + e.getMessage()
                    + ". Nothing written was damaged: " + dir.resolve(Checkpoint.FILE) + " holds the model after epoch "
                    + done + " (resume with: train --resume " + dir + ")");
        }
        History history = checkpoints.history();
        double minutes = (System.nanoTime() - start) / 60e9;
        log.printf(Locale.ROOT, "Trained %d epochs in %.1f min%s%n", history.epochs() - initialEpoch, minutes,
                initialEpoch > 0 ? " (" + history.epochs() + " in all)" : "");

        // save, then 11-13: history, curves, confusion matrix, errors
        Path modelFile = dir.resolve("model.cnn4j");
        try {
            ModelFile.save(model, modelFile, false, java.util.Map.of("dataset", data.datasetId().id()));
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(modelFile, e, Checkpoint.FILE + " holds the trained model");
        }
        Reports.history(history, dir);
        if (val.size() > 0) {
            Evaluation ev = model.evaluate(val, 500);
            log.print(Reports.validation(model, val, ev, dir));
        }
        if (loaded.test() != null && limit == null) {
            Evaluation te = model.evaluate(new ImageDataset(loaded.test(), null, null, 0), 500);
            log.printf(Locale.ROOT, "Test accuracy: %.4f (loss %.4f) on %,d images%n", te.accuracy(), te.loss(),
                    loaded.test().size());
        }
        log.println("Wrote " + String.join(", ", List.of("model.cnn4j", "history.csv", "curves.png", "preview.png",
                "confusion_matrix.png", "misclassified.png", Checkpoint.FILE)) + " to " + dir.toAbsolutePath());
        return 0;
    }

    /** The options that decide the result, as strings that compare across runs (paths absolute). */
    private Map<String, String> runOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--data", data.dataDir == null ? "" : canonical(data.dataDir));
        o.put("--train-csv", data.trainCsv == null ? "" : canonical(data.trainCsv));
        o.put("--dataset", data.dataset.toLowerCase(Locale.ROOT));
        o.put("--seed", Long.toString(seed));
        o.put("--epochs", Integer.toString(epochs));
        o.put("--batch-size", Integer.toString(batchSize));
        o.put("--val-split", Double.toString(valSplit));
        o.put("--limit", limit == null ? "" : Integer.toString(limit));
        o.put("--no-augment", Boolean.toString(noAugment));
        o.put("--interpolation", interpolation.toLowerCase(Locale.ROOT));
        o.putAll(ablation.runOptions());
        return o;
    }

    private static String canonical(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * Takes the run's options from its checkpoint. An option also given on this command line must
     * say the same, except {@code --epochs}, which may change the total.
     */
    private void adoptOptions(Checkpoint.Saved saved) {
        Map<String, String> was = saved.options();
        if (!was.keySet().containsAll(RUN_OPTIONS)) {
            throw new InputException(resume.resolve(Checkpoint.FILE) + ": the checkpoint does not record the options "
                    + "of its run");
        }
        ParseResult given = spec.commandLine().getParseResult();
        if (out != null && !canonical(out).equals(canonical(resume))) {
            throw new InputException("--out " + out + " conflicts with --resume " + resume
                    + ": a resumed run writes to its own folder (leave --out out)");
        }
        Map<String, String> now = runOptions();
        for (String name : RUN_OPTIONS) {
            if (!name.equals("--epochs") && given.hasMatchedOption(name) && !Objects.equals(now.get(name), was.get(name))) {
                String then = was.get(name).isEmpty() ? "without it" : name.equals("--no-augment")
                        ? (Boolean.parseBoolean(was.get(name)) ? "with it" : "without it") : "with " + name + " " + was.get(name);
                throw new InputException(name + " conflicts with the checkpoint in " + resume + ", whose run was started "
                        + then + " (a resumed run keeps its options; leave " + name + " out)");
            }
        }
        data.dataDir = was.get("--data").isEmpty() ? null : Path.of(was.get("--data"));
        data.trainCsv = was.get("--train-csv").isEmpty() ? null : Path.of(was.get("--train-csv"));
        data.dataset = was.get("--dataset");
        try {
            seed = Long.parseLong(was.get("--seed"));
            if (!given.hasMatchedOption("--epochs")) {
                epochs = Integer.parseInt(was.get("--epochs"));
            }
            batchSize = Integer.parseInt(was.get("--batch-size"));
            valSplit = Double.parseDouble(was.get("--val-split"));
            limit = was.get("--limit").isEmpty() ? null : Integer.valueOf(was.get("--limit"));
        } catch (NumberFormatException e) {
            throw new InputException(resume.resolve(Checkpoint.FILE) + ": malformed option in the checkpoint ("
                    + e.getMessage() + ")", e);
        }
        noAugment = Boolean.parseBoolean(was.get("--no-augment"));
        interpolation = was.get("--interpolation");
        ablation.adopt(was, given, resume.resolve(Checkpoint.FILE).toString());
    }

    /** Deletes the temporary files of atomic writes that a killed run left behind (".model.cnn4j.*.tmp"). */
    private static void removeStaleTemporaryFiles(Path dir) throws IOException {
        List<String> ours = List.of(Checkpoint.FILE, "model.cnn4j", "history.csv", "curves.png", "preview.png",
                "confusion_matrix.png", "misclassified.png");
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tmp") && ours.stream().anyMatch(o -> n.startsWith("." + o + "."))
                        && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void validate() {
        if (epochs < 0) {
            throw new InputException("--epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be >= 1, got " + batchSize);
        }
        if (!(valSplit >= 0 && valSplit < 1)) {
            throw new InputException("--val-split must be in [0, 1), got " + valSplit);
        }
        if (limit != null && limit < 1) {
            throw new InputException("--limit must be >= 1, got " + limit);
        }
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be >= 1, got " + threads);
        }
        if (!interpolation.equalsIgnoreCase("bilinear") && !interpolation.equalsIgnoreCase("nearest")) {
            throw new InputException("--interpolation must be bilinear or nearest, got " + interpolation);
        }
        ablation.validate();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out + ": --out names a file, not a folder");
        }
    }
}
