package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.report.ConfusionMatrix;
import org.cnn4j.mnist.report.HtmlReport;
import org.cnn4j.mnist.report.ImageSet;
import org.cnn4j.mnist.report.MisclassifiedPng;
import org.cnn4j.mnist.report.PreviewPng;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/** The page {@code evaluate} writes: the model, the data and its checksum, accuracy, confusion matrix, mistakes, machine. */
final class EvaluationReport {
    private EvaluationReport() {
    }

    static void write(Path html, Sequential m, Path modelFile, String source, LabeledImages images, ImageDataset data,
            Evaluation ev, ConfusionMatrix cm, long startedAt) {
        String[] names = Reports.classNames(images);
        HtmlReport r = new HtmlReport("cnn4j evaluation: " + modelFile.getFileName());
        r.heading("Result");
        Map<String, String> res = new LinkedHashMap<>();
        res.put("accuracy", String.format(Locale.ROOT, "%.4f", ev.accuracy()));
        res.put("loss", String.format(Locale.ROOT, "%.4f", ev.loss()));
        res.put("images", String.format(Locale.ROOT, "%,d", data.size()));
        r.keyValues(res);
        r.heading("Model");
        Map<String, String> model = new LinkedHashMap<>();
        model.put("file", modelFile.toAbsolutePath().toString());
        model.put("SHA-256", RunReport.sha256(modelFile));
        r.keyValues(model);
        r.preformatted(m.summary());
        r.heading("Data");
        Map<String, String> d = new LinkedHashMap<>();
        d.put("source", source);
        d.put("digest of the images", org.cnn4j.mnist.train.Checkpoint.digest(images));
        r.keyValues(d);
        r.heading("Confusion matrix");
        r.confusionMatrix(cm, names);
        // the mistakes and a preview, drawn in memory and embedded
        int n = data.size(), k = data.numClasses();
        Tensor x = Tensor.zeros(n, 1, images.rows(), images.cols());
        float[] y = new float[n * k];
        data.batch(ImageDataset.identity(n), 0, n, x.data(), y);
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = data.label(i);
        }
        float[] probs = m.predict(x, 500).data();
        r.heading("Misclassified images");
        r.image("The most confident mistakes: true label, predicted label and probability",
                MisclassifiedPng.encode(ImageSet.ofFloats(x.data(), truth, x.dim(2), x.dim(3)), probs, k, names, 12));
        r.heading("Preview of the data");
        r.image("25 random images with their labels", PreviewPng.encode(Reports.imageSet(images, null), names,
                new org.cnn4j.init.Rng(1)));
        r.heading("Timing and machine");
        r.keyValues(RunReport.machine(org.cnn4j.internal.kernels.Kernels.get().name(),
                org.cnn4j.internal.kernels.Parallel.threads(), -1, startedAt));
        r.write(html);
    }
}
