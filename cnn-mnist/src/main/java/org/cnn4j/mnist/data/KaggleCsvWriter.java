package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.mnist.InputException;

/**
 * Writes image sets in the Kaggle "Digit Recognizer" CSV format ({@code \n} line endings, no
 * BOM, as Kaggle's own files), atomically: a reader never sees a half-written file. This is the
 * logic behind {@code export-csv}, which makes Kaggle-format files from the IDX files, e.g. for
 * tests or to run the pipeline where Kaggle's own files cannot be downloaded.
 */
public final class KaggleCsvWriter {
    /** Name of the training file in an export directory. */
    public static final String TRAIN_CSV = "train.csv";
    /** Name of the test file in an export directory. */
    public static final String TEST_CSV = "test.csv";
    /** Name of the test labels, in submission format, in an export directory. */
    public static final String SOLUTION_CSV = "solution.csv";
    /** Rows of Kaggle's train.csv; its test.csv has the other 28,000 of MNIST's 70,000 images. */
    public static final int KAGGLE_TRAIN_ROWS = 42_000;

    private static final byte[][] DECIMAL = new byte[256][];

    static {
        for (int i = 0; i < 256; i++) {
            DECIMAL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private KaggleCsvWriter() {
    }

    /**
     * Writes {@code train.csv}: {@code label,pixel0,...,pixel783}, one labeled image per row.
     *
     * @throws IllegalArgumentException if the images are unlabeled or not 28x28
     * @throws InputException if the file cannot be written
     */
    public static void writeTrain(LabeledImages images, Path file) {
        if (!images.isLabeled()) {
            throw new IllegalArgumentException("a train.csv needs labels");
        }
        write(images, file, true);
    }

    /**
     * Writes {@code test.csv}: {@code pixel0,...,pixel783}, one image per row; labels, if any, are
     * left out.
     *
     * @throws IllegalArgumentException if the images are not 28x28
     * @throws InputException if the file cannot be written
     */
    public static void writeTest(LabeledImages images, Path file) {
        write(images, file, false);
    }

    /**
     * Exports a training and a test set to {@code dir} (created if needed): {@value #TRAIN_CSV},
     * {@value #TEST_CSV} and, when the test set is labeled, its labels as {@value #SOLUTION_CSV}
     * in submission format ({@code ImageId,Label}), to score a submission against. For Kaggle's
     * split of MNIST, pass {@code all.slice(0, 42000)} and {@code all.slice(42000, 70000)} of
     * {@code train.concat(test)}.
     *
     * @return the files written
     * @throws InputException if the directory or a file cannot be written
     */
    public static List<Path> export(LabeledImages train, LabeledImages test, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(dir + ": cannot create the directory: " + OutputFiles.describe(e), e);
        }
        List<Path> written = new ArrayList<>();
        writeTrain(train, dir.resolve(TRAIN_CSV));
        written.add(dir.resolve(TRAIN_CSV));
        writeTest(test, dir.resolve(TEST_CSV));
        written.add(dir.resolve(TEST_CSV));
        if (test.isLabeled()) {
            int[] labels = new int[test.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = test.label(i);
            }
            Submission.write(dir.resolve(SOLUTION_CSV), labels);
            written.add(dir.resolve(SOLUTION_CSV));
        }
        return written;
    }

    private static void write(LabeledImages images, Path file, boolean withLabels) {
        if (images.imageSize() != KaggleCsv.PIXELS) {
            throw new IllegalArgumentException("Kaggle CSV rows are 28x28 images, not " + images.rows() + "x"
                    + images.cols());
        }
        List<String> header = withLabels ? KaggleCsv.trainHeader() : KaggleCsv.testHeader();
        OutputFiles.write(file, out -> {
            out.write(String.join(",", header).getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
            for (int i = 0; i < images.size(); i++) {
                if (withLabels) {
                    out.write(DECIMAL[images.label(i)]);
                    out.write(',');
                }
                writeRow(out, images, i);
            }
        });
    }

    private static void writeRow(OutputStream out, LabeledImages images, int i) throws IOException {
        for (int p = 0; p < KaggleCsv.PIXELS; p++) {
            if (p > 0) {
                out.write(',');
            }
            out.write(DECIMAL[images.pixel(i, p)]);
        }
        out.write('\n');
    }
}
