package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.kernels.Kernels;
import org.cnn4j.kernels.Parallel;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.AugmentConfig;
import org.cnn4j.mnist.augment.Augmenter;
import org.cnn4j.mnist.augment.Interpolation;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.ProgressBar;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.mnist.train.Split;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.train.History;
import org.cnn4j.train.ReduceLROnPlateau;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The seed pipeline end to end: load, check, preview, split, train with augmentation, report, save. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the Kaggle digit-recognizer CNN and write the model and its reports.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

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

    @Option(names = "--debug", description = "Print stack traces.")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        PrintStream log = System.out;
        validate();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Reports.prepareOutputDir(dir);

        // 1-2: load and check
        DataOptions.Loaded loaded = data.load(log);
        LabeledImages all = loaded.train();
        if (limit != null) {
            all = all.slice(0, Math.min(limit, all.size()));
        }
        log.printf("Data: %,d labelled images from %s%n", all.size(), loaded.source());
        log.print(Reports.integritySummary(all));

        // 3-4: preview of 25 random images (scaling /255 happens as batches are filled)
        Reports.preview(all, dir.resolve("preview.png"), new Rng(seed));

        // 5-6: one-hot targets are made per batch; seeded split
        Split split = Split.of(all.size(), valSplit, seed);
        Augmenter augmenter = noAugment ? null : new Augmenter(AugmentConfig.kaggleKernel().toBuilder()
                .interpolation(Interpolation.valueOf(interpolation.toUpperCase(Locale.ROOT))).build());
        ImageDataset train = new ImageDataset(all, split.train(), augmenter, seed + 1);
        ImageDataset val = new ImageDataset(all, split.validation(), null, seed);
        log.printf("Split: %,d train / %,d validation (seed %d); augmentation %s%n", train.size(), val.size(), seed,
                augmenter == null ? "off" : "on (rotation 10, zoom 0.1, shifts 0.1, " + interpolation + ")");

        // 7-8: the seed CNN with RMSprop and cross-entropy
        Sequential model = ModelZoo.digitRecognizer(1, all.rows(), all.cols(), LabeledImages.CLASSES, seed);
        log.print(model.summary());
        log.printf("Kernels: %s, threads: %d%n", Kernels.get().name(), Parallel.threads());

        // 9-10: training with validation every epoch and ReduceLROnPlateau(val_accuracy)
        ReduceLROnPlateau lr = new ReduceLROnPlateau("val_accuracy", 0.5, 3).minLr(1e-5).verbose(true);
        boolean terminal = System.console() != null && System.console().isTerminal();
        long start = System.nanoTime();
        History history = model.fit(train, new FitOptions().batchSize(batchSize).epochs(epochs)
                .validation(val.size() > 0 ? val : null).callbacks(new ProgressBar(log, terminal), lr));
        double minutes = (System.nanoTime() - start) / 60e9;
        log.printf(Locale.ROOT, "Trained %d epochs in %.1f min%n", history.epochs(), minutes);

        // save, then 11-13: history, curves, confusion matrix, errors
        Path modelFile = dir.resolve("model.cnn4j");
        ModelFile.save(model, modelFile, false, java.util.Map.of("dataset", data.datasetId().id()));
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
                "confusion_matrix.png", "misclassified.png")) + " to " + dir.toAbsolutePath());
        return 0;
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
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out + ": --out names a file, not a folder");
        }
    }
}
