package org.cnn4j.mnist.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cnn4j.init.Rng;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.report.ConfusionMatrix;
import org.cnn4j.mnist.report.ConfusionMatrixPng;
import org.cnn4j.mnist.report.CurvesPng;
import org.cnn4j.mnist.report.EpochMetrics;
import org.cnn4j.mnist.report.HistoryCsv;
import org.cnn4j.mnist.report.ImageSet;
import org.cnn4j.mnist.report.MisclassifiedPng;
import org.cnn4j.mnist.report.PreviewPng;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/** The pipeline's reports, from the training objects to the files of the report package. */
public final class Reports {
    private Reports() {
    }

    /** Creates the output folder and checks that it can be written, before any work is done. */
    public static void prepareOutputDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new InputException(dir + ": cannot write the output folder: " + (e instanceof IOException io
                    ? org.cnn4j.mnist.data.OutputFiles.reason(io) : "permission denied by the security manager"), e);
        }
    }

    /** The seed's integrity check: how many images of each label, and missing values. */
    public static String integritySummary(LabeledImages images) {
        int[] counts = new int[LabeledImages.CLASSES];
        for (int i = 0; i < images.size(); i++) {
            counts[images.label(i)]++;
        }
        String[] names = classNames(images);
        StringBuilder b = new StringBuilder("Images per label:\n");
        for (int c = 0; c < counts.length; c++) {
            String name = names == null ? Integer.toString(c) : c + " " + names[c];
            b.append(String.format(Locale.ROOT, "  %-16s %,7d%n", name, counts[c]));
        }
        // Readers reject rows with empty cells outright, so nothing loaded can be missing.
        b.append("Missing values: 0 (").append(images.rows()).append('x').append(images.cols())
                .append(" images, pixels 0..255)\n");
        return b.toString();
    }

    /** {@code preview.png}: 25 random images in a 5x5 grid with their labels. */
    public static void preview(LabeledImages images, Path file, Rng rng) {
        PreviewPng.write(file, imageSet(images, null), classNames(images), rng);
    }

    /** {@code history.csv} and {@code curves.png}. */
    public static void history(History h, Path dir) {
        EpochMetrics r = EpochMetrics.empty();
        for (int e = 0; e < h.epochs(); e++) {
            r = r.withEpoch(at(h, "loss", e), at(h, "accuracy", e), at(h, "val_loss", e), at(h, "val_accuracy", e),
                    at(h, "lr", e));
        }
        HistoryCsv.write(r, dir.resolve("history.csv"));
        CurvesPng.write(dir.resolve("curves.png"), r);
    }

    private static double at(History h, String metric, int epoch) {
        List<Double> v = h.get(metric);
        return epoch < v.size() ? v.get(epoch) : Double.NaN;
    }

    /**
     * {@code confusion_matrix.png} and {@code misclassified.png} for the validation set; returns the
     * matrix as text with per-class precision and recall.
     */
    public static String validation(Sequential model, ImageDataset val, Evaluation ev, Path dir) {
        int n = val.size(), k = val.numClasses();
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = val.label(i);
        }
        String[] names = classNames(val.images());
        ConfusionMatrix cm = ConfusionMatrix.of(truth, ev.predicted(), k);
        ConfusionMatrixPng.write(dir.resolve("confusion_matrix.png"), cm, names);
        Tensor x = Tensor.zeros(n, 1, val.images().rows(), val.images().cols());
        float[] y = new float[n * k];
        int[] order = ImageDataset.identity(n);
        val.batch(order, 0, n, x.data(), y);
        float[] probs = model.predict(x, 500).data();
        MisclassifiedPng.write(dir.resolve("misclassified.png"), ImageSet.ofFloats(x.data(), truth, x.dim(2), x.dim(3)),
                probs, k, names, 12);
        return String.format(Locale.ROOT, "Validation accuracy: %.4f (loss %.4f) on %,d images%n", ev.accuracy(), ev.loss(), n)
                + "Confusion matrix (rows: true, columns: predicted):\n" + cm.toTable(names) + cm.toReport(names);
    }

    /** An image set for the report package over labelled bytes ({@code labels} overrides when given). */
    public static ImageSet imageSet(LabeledImages images, int[] labels) {
        int[] l = labels;
        if (l == null && images.isLabeled()) {
            l = new int[images.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = images.label(i);
            }
        }
        return ImageSet.ofBytes(images.copyPixels(), l, images.rows(), images.cols());
    }

    /** The class names, or null when they are none or just the digits themselves. */
    public static String[] classNames(LabeledImages images) {
        List<String> names = images.classNames();
        boolean digits = true;
        for (int c = 0; c < names.size(); c++) {
            digits &= names.get(c).equals(Integer.toString(c));
        }
        return names.isEmpty() || digits ? null : names.toArray(String[]::new);
    }
}
