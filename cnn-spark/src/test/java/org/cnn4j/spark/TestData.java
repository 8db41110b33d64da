package org.cnn4j.spark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.mnist.image.DigitImagePreprocessor;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/** Pictures, a model and the single-JVM predictions the Spark results are held against. */
public final class TestData {
    private TestData() {
    }

    /** The seed network after 4 steps on noise: weights and biases that are not just initial values. */
    public static Sequential model() {
        Sequential m = ModelZoo.digitRecognizer(7);
        Rng r = new Rng(1);
        Tensor x = Tensor.zeros(32, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        m.fit(x, TensorDataset.oneHot(labels, 10), new FitOptions().batchSize(8).epochs(1));
        return m;
    }

    /** {@code n} pictures of strokes, PNG and JPEG, light and dark paper, of varied sizes. */
    public static List<Path> pictures(Path dir, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = 40 + r.nextInt(80);
            int h = 40 + r.nextInt(80);
            boolean dark = r.nextBoolean();
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(dark ? Color.BLACK : Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(dark ? Color.WHITE : Color.BLACK);
            g.setStroke(new BasicStroke(3 + r.nextInt(5)));
            for (int s = 0; s < 2 + r.nextInt(2); s++) {
                g.drawLine(r.nextInt(w), r.nextInt(h), r.nextInt(w), r.nextInt(h));
            }
            g.drawOval(w / 4, h / 4, 5 + r.nextInt(w / 2), 5 + r.nextInt(h / 2));
            g.dispose();
            String format = i % 4 == 3 ? "jpeg" : "png";
            Path file = dir.resolve(String.format("img%03d.%s", i, format.equals("jpeg") ? "jpg" : "png"));
            ImageIO.write(img, format, file.toFile());
            files.add(file);
        }
        return files;
    }

    /** A PNG cut short, and a text file named like an image: the two ways a scan goes wrong. */
    public static List<Path> corrupt(Path dir, Path goodPng) throws IOException {
        byte[] png = Files.readAllBytes(goodPng);
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture", StandardCharsets.UTF_8);
        return List.of(cut, text);
    }

    /** What cnn-mnist's predict computes, in one JVM: file -> probabilities, by the file's URI. */
    public static Map<String, float[]> singleJvm(Sequential model, List<Path> files) {
        DigitImagePreprocessor pre = new DigitImagePreprocessor();
        Tensor x = Tensor.zeros(files.size(), 1, 28, 28);
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(pre.preprocess(files.get(i)), 0, x.data(), i * 784, 784);
        }
        float[] p = model.predict(x).data();
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            out.put(files.get(i).toUri().toString(), java.util.Arrays.copyOfRange(p, i * 10, i * 10 + 10));
        }
        return out;
    }

    /** The first index of the largest value. */
    public static int argmax(float[] p) {
        return PartitionScorer.argmax(p);
    }

    /** A Spark array column's value as floats. */
    public static float[] floats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (Float) list.get(i);
        }
        return f;
    }

    /** Kaggle's test.csv layout: the header, then one row of 784 integer pixels per image. */
    public static Path kaggleCsv(Path file, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            sb.append(i == 0 ? "" : ",").append("pixel").append(i);
        }
        sb.append('\n');
        for (int row = 0; row < rows; row++) {
            // a blob of ink somewhere in the middle, different per row
            int cx = 8 + r.nextInt(12);
            int cy = 8 + r.nextInt(12);
            int rad = 3 + r.nextInt(6);
            for (int i = 0; i < 784; i++) {
                int d2 = (i % 28 - cx) * (i % 28 - cx) + (i / 28 - cy) * (i / 28 - cy);
                int v = d2 <= rad * rad ? 255 - r.nextInt(60) : (r.nextInt(10) == 0 ? r.nextInt(40) : 0);
                sb.append(i == 0 ? "" : ",").append(v);
            }
            sb.append('\n');
        }
        return Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
    }
}
