package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.MnistFixture;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --onnx}: the seed CNN, trained briefly on real MNIST, exported by the CLI and run
 * by ONNX Runtime on 1,000 MNIST test images gives every probability within 1e-5 of cnn4j's and
 * the same digit.
 */
class OnnxExportCliTest {
    static final int IMAGES = 1_000;

    @Test
    void onnxRuntimeReadsTheExportedSeedCnnLikeCnn4j(@TempDir Path dir) throws Exception {
        Path model = MnistFixture.seedModel();
        Path onnx = dir.resolve("seed.onnx");
        CliTest.Result r = CliTest.cli("export", "--onnx", onnx.toString(), "--model", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote " + onnx);

        LabeledImages test = MnistFixture.test();
        Tensor x = MnistFixture.images(test, 0, IMAGES);
        Sequential m = ModelFile.load(model);
        float[] want = m.predict(x).data().clone();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] got = new float[want.length];
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry("training_data", "mnist").containsEntry("cnn4j.seed", "1")
                    .containsKey("cnn4j.version").containsKey("training_images_sha256");
            assertThat(s.getMetadata().getProducerName()).isEqualTo("cnn4j");
            // in batches of 250: the batch dimension is symbolic
            for (int from = 0; from < IMAGES; from += 250) {
                float[] chunk = java.util.Arrays.copyOfRange(x.data(), from * 784, (from + 250) * 784);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(chunk), new long[] {250, 1, 28, 28});
                     OrtSession.Result res = s.run(Map.of("input", in))) {
                    FloatBuffer fb = ((OnnxTensor) res.get("output").orElseThrow()).getFloatBuffer();
                    fb.get(got, from * 10, 2500);
                }
            }
        }
        double maxDiff = 0;
        int correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            int a = argmax(want, i * 10);
            assertThat(argmax(got, i * 10)).as("digit of test image %d", i).isEqualTo(a);
            correct += a == test.label(i) ? 1 : 0;
            for (int c = 0; c < 10; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(got[i * 10 + c] - want[i * 10 + c]));
            }
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime vs cnn4j on %d MNIST test images: max |diff| %.3g, accuracy %.3f%n",
                IMAGES, maxDiff, correct / (double) IMAGES);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
        // about 0.8 after one short epoch; a random model scores about 0.1
        assertThat(correct).as("a trained model, not a random one").isGreaterThan(IMAGES * 6 / 10);
    }

    @Test
    void userMistakesAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        CliTest.Result missing = CliTest.cli("export", "--onnx", dir.resolve("a.onnx").toString(),
                "--model", dir.resolve("nope.cnn4j").toString());
        assertThat(missing.status()).isEqualTo(Main.USER_ERROR);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("nope.cnn4j: no such model file");

        Path notModel = Files.writeString(dir.resolve("x.cnn4j"), "hello");
        CliTest.Result bad = CliTest.cli("export", "--onnx", dir.resolve("b.onnx").toString(), "--model", notModel.toString());
        assertThat(bad.status()).isEqualTo(Main.USER_ERROR);
        assertThat(bad.err().strip()).doesNotContain("\n").startsWith("cnn-mnist: error: ");

        Path model = dir.resolve("m.cnn4j");
        ModelFile.save(org.cnn4j.model.ModelZoo.digitRecognizer(3).build(), model);
        Path blocker = Files.writeString(dir.resolve("file"), "");
        CliTest.Result unwritable = CliTest.cli("export", "--onnx", blocker.resolve("sub/m.onnx").toString(),
                "--model", model.toString());
        assertThat(unwritable.status()).isEqualTo(Main.USER_ERROR);
        assertThat(unwritable.err().strip()).doesNotContain("\n").contains("m.onnx: cannot write");

        CliTest.Result noOut = CliTest.cli("export", "--model", model.toString());
        assertThat(noOut.status()).isEqualTo(Main.USER_ERROR);
        assertThat(noOut.err()).contains("--onnx");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".onnx") || n.endsWith(".tmp"));
        }
    }

    static int argmax(float[] p, int off) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (p[off + c] > p[off + best]) {
                best = c;
            }
        }
        return best;
    }
}
