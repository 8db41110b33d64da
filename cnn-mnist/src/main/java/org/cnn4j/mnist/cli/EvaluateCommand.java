package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.IdxDataset;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.report.ConfusionMatrix;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Accuracy, loss and confusion matrix of a saved model on a labelled set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on the MNIST test set, an IDX folder or a labelled Kaggle CSV.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (raw or .gz).")
    Path dataDir;

    @Option(names = "--csv", paramLabel = "FILE", description = "A labelled CSV in Kaggle train.csv format.")
    Path csv;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion, for the fetched test set and class names.")
    String dataset;

    @Mixin
    DebugOption debug = new DebugOption();

    @Option(names = "--report", paramLabel = "FILE", description = "Where to write the HTML report (default: evaluation.html "
            + "beside the model).")
    Path report;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws java.io.IOException {
        return output.run("evaluate", this::evaluate);
    }

    private java.util.Map<String, Object> evaluate(java.io.PrintStream log) {
        long startedAt = System.currentTimeMillis();
        if (dataDir != null && csv != null) {
            throw new InputException("--data and --csv: give one of them");
        }
        IdxDataset ds = IdxDataset.byId(dataset);
        org.cnn4j.io.ModelFile.Loaded loaded = ModelLoader.loadDigit(model);
        // before the evaluation, as submit checks its --out: a report that cannot be written must not waste it
        org.cnn4j.mnist.data.OutputFiles.checkWritable(report != null ? report
                : model.toAbsolutePath().resolveSibling("evaluation.html"));
        Sequential m = loaded.model();
        String trainedOn = loaded.metadata().get("dataset");
        if (trainedOn != null && !trainedOn.equalsIgnoreCase(ds.id())) {
            // the class names printed below are --dataset's; the model's classes are another set's
            System.err.println("cnn-mnist: warning: " + model + " was trained on " + trainedOn + ", not on " + ds.id()
                    + " (--dataset " + dataset + "): its accuracy there means little");
        }
        LabeledImages images;
        if (csv != null) {
            images = KaggleCsv.readTrain(csv).withClassNames(ds.classNames());
        } else {
            Path dir = dataDir;
            if (dir == null) {
                dir = new org.cnn4j.mnist.data.MnistFetcher(log::println)
                        .fetch(ds, ds.defaultCacheDir(), ds.defaultSources()).directory();
            }
            images = LabeledImages.loadIdx(DataOptions.find(dir, IdxDataset.TEST_IMAGES),
                    DataOptions.find(dir, IdxDataset.TEST_LABELS), ds.classNames());
        }
        ModelLoader.requireImages(images, csv != null ? csv : Path.of(String.valueOf(dataDir)));
        ImageDataset data = new ImageDataset(images, null, null, 0);
        Evaluation ev = m.evaluate(data, 500);
        int[] truth = new int[data.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = data.label(i);
        }
        ConfusionMatrix cm = ConfusionMatrix.of(truth, ev.predicted(), data.numClasses());
        log.printf(Locale.ROOT, "Accuracy: %.4f  Loss: %.4f  on %,d images%n", ev.accuracy(), ev.loss(), data.size());
        log.print("Confusion matrix (rows: true, columns: predicted):\n" + cm.toTable(Reports.classNames(images)));
        log.print(cm.toReport(Reports.classNames(images)));
        Path html = report != null ? report : model.toAbsolutePath().resolveSibling("evaluation.html");
        String source = csv != null ? csv.toString() : dataDir != null ? dataDir.toString() : ds.displayName() + " test set";
        EvaluationReport.write(html, m, model, source, images, data, ev, cm, startedAt);
        log.println("Open the report: " + html.toAbsolutePath().toUri());
        java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
        java.util.Map<String, Object> metrics = new java.util.LinkedHashMap<>();
        metrics.put("accuracy", ev.accuracy());
        metrics.put("loss", ev.loss());
        metrics.put("images", data.size());
        result.put("metrics", metrics);
        result.put("confusion_matrix", java.util.Arrays.stream(cm.counts()).map(r -> java.util.Arrays.stream(r).boxed().toList()).toList());
        result.put("model", model.toAbsolutePath().toString());
        result.put("files", java.util.Map.of("report.html", html.toAbsolutePath().toString()));
        return result;
    }
}
