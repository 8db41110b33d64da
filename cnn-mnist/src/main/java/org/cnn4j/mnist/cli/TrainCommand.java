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
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.OutputFiles;
import org.cnn4j.mnist.train.Checkpoint;
import org.cnn4j.mnist.train.CheckpointWriter;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.mnist.train.RunFolder;
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

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the math (default: the number of cores).")
    Integer threads;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its last checkpoint "
            + "(written at every epoch end). The options come from the checkpoint; --epochs may change the total.")
    Path resume;

    @Mixin
    DebugOption debug = new DebugOption();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Spec
    CommandSpec spec;

    /** The mixins whose options decide the result of a run, stored in its checkpoint (see {@link RunOptions}). */
    private static final List<String> RUN_MIXINS = List.of("data", "recipe", "ablation");

    @Override
    public Integer call() throws IOException {
        return output.run("train", this::train);
    }

    private Map<String, Object> train(PrintStream log) throws IOException {
        Path dir;
        if (resume != null) {
            if (!Files.exists(resume.resolve(Checkpoint.FILE))) { // checked before locking: no .lock in a stranger's folder
                throw new InputException(resume.resolve(Checkpoint.FILE) + ": no checkpoint to resume from (is " + resume
                        + " the --out folder of a train run?)");
            }
            dir = resume;
        } else {
            validate();
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        // held for the whole run: a second train into the same folder is refused, naming this one
        RunFolder folder = RunFolder.lock(dir, "train " + (resume != null ? "--resume " : "--out ") + dir);
        boolean finished = false;
        try {
            Map<String, Object> result = run(dir, log);
            finished = true;
            return result;
        } finally {
            if (!finished && fresh && (started == null || started.history().epochs() == 0)) {
                folder.discard(); // failed before its first epoch: nothing worth resuming
            } else {
                folder.close();
            }
        }
    }

    /** The checkpoint writer once training has started; its history says how far it got. */
    private CheckpointWriter started;
    /** Set once a fresh run has passed its checks: from then on the folder's run files are its own. */
    private boolean fresh;

    private Map<String, Object> run(Path dir, PrintStream log) throws IOException {
        long startedAt = System.currentTimeMillis();
        Checkpoint.Saved saved = null;
        if (resume != null) {
            saved = Checkpoint.load(resume);
            adoptOptions(saved);
            validate();
        } else if (Files.exists(dir.resolve(Checkpoint.FILE))) {
            throw new InputException(dir + " holds a run already (" + Checkpoint.FILE + "): continue it with --resume "
                    + dir + ", or choose another --out");
        } else {
            fresh = true;
        }
        int epochs = recipe.epochs;
        long seed = recipe.seed;
        if (saved != null && epochs < saved.epochsDone()) {
            throw new InputException("--epochs " + epochs + ": the run in " + resume + " has already done "
                    + saved.epochsDone() + " epochs");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        try {
            removeStaleTemporaryFiles(dir); // this run holds the folder: every temporary file in it is a leftover
        } catch (IOException e) {
            throw new InputException(dir + ": cannot clean up a killed run's temporary files: "
                    + OutputFiles.reason(e), e);
        }

        // 1-2: load and check
        DataOptions.Loaded loaded = data.load(log);
        LabeledImages all = loaded.train();
        if (recipe.limit != null) {
            all = all.slice(0, Math.min(recipe.limit, all.size()));
        }
        if (all.size() == 0) {
            throw new InputException(loaded.source() + ": no labelled images to train on");
        }
        log.printf("Data: %,d labelled images from %s%n", all.size(), loaded.source());
        boolean testable = loaded.test() != null && loaded.test().size() > 0 && recipe.limit == null;
        if (loaded.test() != null && loaded.test().size() == 0 && recipe.limit == null) {
            // an accuracy of 0.0000 "on 0 images" would read as a result: say there is none instead
            log.println("Note: the test set in " + loaded.source() + " holds 0 images: no test accuracy will be reported");
        }
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
        Split split = Split.of(all.size(), recipe.valSplit, seed);
        Augmenter augmenter = recipe.noAugment ? null : new Augmenter(AugmentConfig.kaggleKernel().toBuilder()
                .interpolation(Interpolation.valueOf(recipe.interpolation.toUpperCase(Locale.ROOT)))
                .center(ablation.centerConvention()).build());
        if (split.train().length == 0) {
            throw new InputException(String.format(Locale.ROOT, "--val-split %s on %,d images leaves none to train on "
                    + "(use a smaller --val-split, or a larger --limit)", recipe.valSplit, all.size()));
        }
        ImageDataset train = new ImageDataset(all, split.train(), augmenter, seed + 1);
        // the same batches: one of all the images when --batch-size exceeds them. Unclamped, a size near
        // Integer.MAX_VALUE overflowed the steps per epoch, (n + size - 1) / size, to 0 or less (no training)
        int batchSize = Math.min(recipe.batchSize, train.size());
        ImageDataset val = new ImageDataset(all, split.validation(), null, seed);
        log.printf("Split: %,d train / %,d validation (seed %d); augmentation %s%n", train.size(), val.size(), seed,
                augmenter == null ? "off" : "on (rotation 10, zoom 0.1, shifts 0.1, " + recipe.interpolation + ", centre "
                        + ablation.center + ")");

        // 7-8: the seed CNN with the recipe's optimizer and cross-entropy; a resumed run takes the
        // checkpoint's model, whose architecture and options the checks above and below vouch for
        // Without validation data (--val-split 0) the schedule watches the training accuracy, said in
        // one line. (Keras would warn at every epoch end that val_accuracy is missing and never lower
        // the rate; keras/src/callbacks/reduce_lr_on_plateau.py, on_epoch_end.)
        String monitor = val.size() > 0 ? "val_accuracy" : "accuracy";
        if (val.size() == 0) {
            log.println("No validation set (--val-split 0): ReduceLROnPlateau monitors the training accuracy");
        }
        ReduceLROnPlateau plateau = recipe.newPlateau(monitor, true);
        ablation.applyTo(plateau);
        Sequential model;
        History prior = new History();
        boolean v2 = recipe.isV2(); // v2's rate follows its schedule; the plateau state is still checkpointed, unused
        if (saved == null) {
            model = v2
                    ? ModelZoo.digitRecognizerV2(1, all.rows(), all.cols(), LabeledImages.CLASSES, seed,
                            (train.size() + batchSize - 1) / batchSize, Math.max(2, epochs))
                    : ModelZoo.digitRecognizer(1, all.rows(), all.cols(), LabeledImages.CLASSES, seed, recipe.newOptimizer());
            ablation.applyTo(model);
        } else {
            model = saved.model();
            if (!java.util.Arrays.equals(model.inputShape(), new int[] {1, all.rows(), all.cols()})
                    || !java.util.Arrays.equals(model.outputShape(), new int[] {LabeledImages.CLASSES})) {
                throw new InputException(resume.resolve(Checkpoint.FILE) + ": the checkpoint's model takes "
                        + java.util.Arrays.toString(model.inputShape()) + " and gives " + java.util.Arrays.toString(model.outputShape())
                        + ", not the " + all.rows() + "x" + all.cols() + " images in " + LabeledImages.CLASSES + " classes of its data");
            }
            saved.restore(model, train, plateau);
            prior = saved.history();
            log.printf("Resuming %s after epoch %d of %d (learning rate %s)%n", dir, saved.epochsDone(), epochs,
                    model.optimizer().learningRate());
        }
        log.print(model.summary());
        log.printf("Kernels: %s, threads: %d%n", Kernels.get().name(), Parallel.threads());

        // 9-10: training with validation every epoch and ReduceLROnPlateau(val_accuracy); the
        // checkpoint comes after the scheduler so that it holds the next epoch's learning rate
        boolean terminal = System.console() != null && System.console().isTerminal();
        CheckpointWriter checkpoints = new CheckpointWriter(dir, train, plateau, prior, runOptions(), digest, saved == null);
        started = checkpoints;
        List<Callback> callbacks = new ArrayList<>(v2 ? List.of(checkpoints) : List.of(plateau, checkpoints));
        Callback delay = FaultInjection.batchDelay();
        if (delay != null) {
            callbacks.add(delay);
        }
        int initialEpoch = saved == null ? 0 : saved.epochsDone();
        long start = System.nanoTime();
        try {
            model.fit(FaultInjection.poison(train), ablation.applyTo(new FitOptions()).batchSize(batchSize).epochs(epochs)
                    .initialEpoch(initialEpoch).validation(val.size() > 0 ? val : null).progressTo(log, terminal)
                    .callbacks(callbacks.toArray(Callback[]::new)));
        } catch (TrainingDivergedException e) {
            int done = checkpoints.history().epochs();
            if (done == 0 && saved == null) {
                throw new TrainingDivergedException("training diverged in epoch 1: " + e.getMessage() + ". The run "
                        + "had not finished an epoch, so nothing was kept in " + dir + " (try a lower learning rate)");
            }
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
            ModelFile.save(model, modelFile, false, java.util.Map.of("dataset", data.idxDataset().id()));
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(modelFile, e, Checkpoint.FILE + " holds the trained model");
        }
        Reports.history(history, dir);
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (String name : history.names()) {
            List<Double> v = history.get(name);
            if (!v.isEmpty()) {
                metrics.put(name, v.get(v.size() - 1));
            }
        }
        RunReport report = new RunReport(dir, recipe.describe(), loaded, digest, history, startedAt);
        if (val.size() > 0) {
            Evaluation ev = model.evaluate(val, 500);
            log.print(Reports.validation(model, val, ev, dir));
            report.validation(ev, val);
        }
        if (testable) {
            Evaluation te = model.evaluate(new ImageDataset(loaded.test(), null, null, 0), 500);
            log.printf(Locale.ROOT, "Test accuracy: %.4f (loss %.4f) on %,d images%n", te.accuracy(), te.loss(),
                    loaded.test().size());
            metrics.put("test_accuracy", te.accuracy());
            metrics.put("test_loss", te.loss());
            report.test(te, loaded.test().size());
        }
        Path html = report.write(model, Kernels.get().name(), Parallel.threads(), minutes);
        List<String> files = new ArrayList<>(List.of("model.cnn4j", "history.csv", "curves.png", "preview.png"));
        if (val.size() > 0) {
            files.addAll(List.of("confusion_matrix.png", "misclassified.png"));
        }
        files.addAll(List.of("report.html", Checkpoint.FILE));
        log.println("Wrote " + String.join(", ", files) + " to " + dir.toAbsolutePath());
        log.println("Open the report: " + html.toAbsolutePath().toUri());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metrics", metrics);
        result.put("epochs", history.epochs());
        result.put("hyperparameters", recipe.describe());
        result.put("data", Map.of("source", loaded.source(), "digest", digest));
        Map<String, Object> written = new LinkedHashMap<>();
        for (String f : files) {
            if (Files.exists(dir.resolve(f))) {
                written.put(f, dir.resolve(f).toAbsolutePath().toString());
            }
        }
        result.put("files", written);
        return result;
    }

    /** The options that decide the result, as strings that compare across runs (paths absolute). */
    private Map<String, String> runOptions() {
        return RunOptions.record(spec, RUN_MIXINS);
    }

    private static String canonical(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * Takes the run's options from its checkpoint. An option also given on this command line must
     * say the same, except {@code --epochs}, which may change the total.
     */
    private void adoptOptions(Checkpoint.Saved saved) {
        if (out != null && !canonical(out).equals(canonical(resume))) {
            throw new InputException("--out " + out + " conflicts with --resume " + resume
                    + ": a resumed run writes to its own folder (leave --out out)");
        }
        if (!saved.options().containsKey("--seed")) {
            throw new InputException(resume.resolve(Checkpoint.FILE) + ": the checkpoint does not record the options "
                    + "of its run");
        }
        RunOptions.restore(spec, RUN_MIXINS, saved.options(), List.of("--epochs"), resume.resolve(Checkpoint.FILE).toString(),
                resume);
    }

    /** Deletes the temporary files of atomic writes that a killed run left behind (".model.cnn4j.*.tmp"). */
    private static void removeStaleTemporaryFiles(Path dir) throws IOException {
        List<String> ours = List.of(Checkpoint.FILE, "model.cnn4j", "history.csv", "curves.png", "preview.png",
                "confusion_matrix.png", "misclassified.png", "report.html");
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
        recipe.validate();
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && (threads < 1 || threads > cores)) {
            throw new InputException("--threads must be 1.." + cores + " (the cores this JVM may use; more threads "
                    + "only add memory and switching), got " + threads);
        }
        ablation.validate();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out + ": --out names a file, not a folder");
        }
    }
}
