package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.image.DigitImagePreprocessor;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One loaded model serving {@code predict}'s path (read a picture, preprocess, predict) from 8
 * threads at once gives, bit for bit, what the same calls give one after another; so does loading
 * one model file from 8 threads at once.
 */
class ConcurrentPredictTest {
    static final int THREADS = 8;
    static final int CALLS_PER_THREAD = 8;

    /** One call: some pictures, predicted as one batch. */
    record Call(List<Path> images) {
    }

    @Test
    void eightThreadsGiveTheSequentialResultsBitForBit(@TempDir Path dir) throws Exception {
        Path modelFile = dir.resolve("model.cnn4j");
        ModelFile.save(briefTrained(), modelFile);
        Sequential model = ModelFile.load(modelFile);

        List<Path> pictures = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 12; i++) {
            pictures.add(picture(dir.resolve("digit" + i + ".png"), r));
        }
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < THREADS * CALLS_PER_THREAD; i++) {
            int n = 1 + i % 5;
            List<Path> batch = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                batch.add(pictures.get((i * 7 + j * 3) % pictures.size()));
            }
            calls.add(new Call(batch));
        }
        DigitImagePreprocessor pre = new DigitImagePreprocessor();
        List<float[]> sequential = new ArrayList<>();
        for (Call c : calls) {
            sequential.add(predict(model, pre, c));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = t; i < calls.size(); i += THREADS) {
                mine.add(i);
            }
            Collections.shuffle(mine, new Random(t));
            done.add(pool.submit(() -> {
                start.await();
                int checked = 0;
                for (int i : mine) {
                    float[] got = predict(model, pre, calls.get(i));
                    assertThat(got).as("call %d", i).containsExactly(sequential.get(i));
                    checked++;
                }
                return checked;
            }));
        }
        start.countDown();
        int checked = 0;
        for (Future<Integer> f : done) {
            checked += f.get();
        }
        pool.shutdown();
        assertThat(checked).isEqualTo(calls.size());
    }

    @Test
    void eightThreadsLoadingOneFileGetTheSameModel(@TempDir Path dir) throws Exception {
        Path modelFile = dir.resolve("model.cnn4j");
        Sequential original = briefTrained();
        ModelFile.save(original, modelFile, true, Map.of("k", "v"));
        Tensor probe = noise(3, 9);
        float[] expected = original.predict(probe).data();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            results.add(pool.submit(() -> {
                start.await();
                return ModelFile.load(modelFile).predict(probe).data();
            }));
        }
        start.countDown();
        for (Future<float[]> f : results) {
            assertThat(f.get()).containsExactly(expected);
        }
        pool.shutdown();
    }

    private static float[] predict(Sequential model, DigitImagePreprocessor pre, Call c) {
        Tensor x = Tensor.zeros(c.images().size(), 1, 28, 28);
        for (int i = 0; i < c.images().size(); i++) {
            System.arraycopy(pre.preprocess(c.images().get(i)), 0, x.data(), i * 784, 784);
        }
        return model.predict(x).data();
    }

    /** The seed network after 4 steps on noise: weights and biases that are not just initial values. */
    private static Sequential briefTrained() {
        Sequential m = ModelZoo.digitRecognizer(7);
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        m.fit(noise(32, 1), TensorDataset.oneHot(labels, 10), new FitOptions().batchSize(8).epochs(1));
        return m;
    }

    private static Tensor noise(int n, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        return x;
    }

    /** A dark stroke on a light 60x80 picture, different per call. */
    private static Path picture(Path file, Random r) throws Exception {
        BufferedImage img = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 60, 80);
        g.setColor(Color.BLACK);
        g.setStroke(new java.awt.BasicStroke(4 + r.nextInt(4)));
        g.drawLine(10 + r.nextInt(40), 10 + r.nextInt(20), 10 + r.nextInt(40), 50 + r.nextInt(20));
        g.drawLine(10 + r.nextInt(40), 10 + r.nextInt(60), 10 + r.nextInt(40), 10 + r.nextInt(60));
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
