package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.mnist.report.ConfusionMatrix;
import org.cnn4j.mnist.report.HtmlReport;
import org.cnn4j.mnist.train.ImageDataset;
import org.cnn4j.mnist.train.Reports;
import org.cnn4j.model.Evaluation;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;

/**
 * {@code report.html} of a {@code train} run: the hyperparameters, the data's source and checksums,
 * the curves and the metrics per epoch, the confusion matrix, the misclassified grid, the preview,
 * the timing and the machine, in one self-contained page (the run's PNGs embedded).
 */
final class RunReport {
    static final String FILE = "report.html";

    private final Path dir;
    private final Map<String, String> hyperparameters;
    private final DataOptions.Loaded data;
    private final String digest;
    private final History history;
    private final long startedAt;
    private ConfusionMatrix confusion;
    private String[] classNames;
    private final Map<String, String> results = new LinkedHashMap<>();

    RunReport(Path dir, Map<String, String> hyperparameters, DataOptions.Loaded data, String digest, History history,
            long startedAt) {
        this.dir = dir;
        this.hyperparameters = hyperparameters;
        this.data = data;
        this.digest = digest;
        this.history = history;
        this.startedAt = startedAt;
    }

    void validation(Evaluation ev, ImageDataset val) {
        int[] truth = new int[val.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = val.label(i);
        }
        confusion = ConfusionMatrix.of(truth, ev.predicted(), val.numClasses());
        classNames = Reports.classNames(val.images());
        results.put("validation accuracy", String.format(Locale.ROOT, "%.4f (loss %.4f) on %,d images", ev.accuracy(),
                ev.loss(), val.size()));
    }

    void test(Evaluation te, int images) {
        results.put("test accuracy", String.format(Locale.ROOT, "%.4f (loss %.4f) on %,d images", te.accuracy(), te.loss(),
                images));
    }

    Path write(Sequential model, String kernels, int threads, double minutes) {
        HtmlReport r = new HtmlReport("cnn4j training run: " + dir.toAbsolutePath().normalize().getFileName());
        r.heading("Result");
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("epochs", Integer.toString(history.epochs()));
        for (String m : List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr")) {
            List<Double> v = history.get(m);
            if (!v.isEmpty()) {
                summary.put("last " + m, fmt(v.get(v.size() - 1)));
            }
        }
        summary.putAll(results);
        r.keyValues(summary);

        r.heading("Hyperparameters");
        r.keyValues(hyperparameters);
        r.preformatted(model.summary());

        r.heading("Data");
        Map<String, String> d = new LinkedHashMap<>();
        d.put("source", data.source());
        d.put("training images", String.format(Locale.ROOT, "%,d (%dx%d)", data.train().size(), data.train().rows(),
                data.train().cols()));
        d.put("digest of the images used", digest);
        for (Path f : data.files()) {
            d.put("SHA-256 of " + f.getFileName(), sha256(f));
        }
        r.keyValues(d);

        r.heading("Learning curves");
        r.imageFile("Loss and accuracy per epoch (curves.png)", dir.resolve("curves.png"));
        List<List<String>> rows = new ArrayList<>();
        for (int e = 0; e < history.epochs(); e++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(e + 1)));
            for (String m : List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr")) {
                List<Double> v = history.get(m);
                row.add(e < v.size() ? fmt(v.get(e)) : "");
            }
            rows.add(row);
        }
        r.table(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"), rows);

        r.heading("Confusion matrix (validation)");
        if (confusion != null) {
            r.confusionMatrix(confusion, classNames);
        } else {
            r.paragraph("No validation set in this run (--val-split 0).");
        }
        r.heading("Misclassified validation images");
        r.imageFile("The most confident mistakes: true label, predicted label and probability (misclassified.png)",
                dir.resolve("misclassified.png"));
        r.heading("Preview of the data");
        r.imageFile("25 random training images with their labels (preview.png)", dir.resolve("preview.png"));

        r.heading("Timing and machine");
        r.keyValues(machine(kernels, threads, minutes, startedAt));
        Path file = dir.resolve(FILE);
        r.write(file);
        return file;
    }

    /** Where and when a run ran. */
    static Map<String, String> machine(String kernels, int threads, double minutes, long startedAt) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("started", Instant.ofEpochMilli(startedAt).toString());
        m.put("finished", Instant.now().toString());
        if (minutes >= 0) {
            m.put("training time", String.format(Locale.ROOT, "%.2f min", minutes));
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        m.put("host", host);
        m.put("operating system", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("threads for the math", Integer.toString(threads));
        m.put("max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        m.put("Java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        m.put("kernels", kernels);
        m.put("cnn-mnist", new Main.Version().getVersion()[0]);
        return m;
    }

    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable (" + e.getClass().getSimpleName() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
