package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.ActivationLayer;
import org.cnn4j.layers.AveragePooling2D;
import org.cnn4j.layers.BatchNormalization;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Dropout;
import org.cnn4j.layers.ELU;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.GlobalAveragePooling2D;
import org.cnn4j.layers.GlobalMaxPooling2D;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.LeakyReLU;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.layers.ReLU;
import org.cnn4j.layers.Softmax;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX export checked by ONNX Runtime: every layer type, on odd shapes where Keras 'same' pads
 * asymmetrically, at two batch sizes (the batch dimension is symbolic).
 */
class OnnxExportTest {
    /** Every layer cnn-core has, with geometries that make 'same' pad one more cell at the bottom/right. */
    static Sequential oddModel() {
        Sequential m = new Sequential(2, 9, 8).seed(7)
                .add(new Conv2D(3, 3, Padding.SAME, Activation.RELU).strides(2)) // 9x8 -> 5x4, pads t1 l0 b1 r1
                .add(new MaxPooling2D(2, 2, 2, 2, Padding.SAME)) // 5x4 -> 3x2, one padded row at the bottom
                .add(new Dropout(0.3))
                .add(new Conv2D(4, 2, 1)) // valid 3x2 -> 2x2, linear
                .add(new ReLU())
                .add(new Flatten())
                .add(new Dense(6, Activation.RELU))
                .add(new Dense(5))
                .add(new Softmax());
        return m.build();
    }

    /**
     * The layers and activations added with the layer contract: batch normalisation on images and on
     * vectors (one without center/scale), average pooling with 'same' padding at an odd size, both
     * global poolings, every activation fused into Conv2D/Dense and as layers of their own.
     */
    static Sequential newerLayersModel(boolean globalMax) {
        Sequential m = new Sequential(3, 7, 9).seed(11)
                .add(new Conv2D(4, 3, Padding.SAME, Activation.ELU))
                .add(new BatchNormalization())
                .add(new AveragePooling2D(2, 2, 2, 2, Padding.SAME)) // 7x9 -> 4x5, the last row/column averaged over 1 or 2
                .add(new Conv2D(5, 3, Padding.SAME, Activation.GELU))
                .add(new LeakyReLU(0.1))
                .add(new Conv2D(6, 1, Padding.VALID, Activation.LEAKY_RELU))
                .add(new ActivationLayer(Activation.TANH))
                .add(globalMax ? new GlobalMaxPooling2D() : new GlobalAveragePooling2D())
                .add(new Dense(7, Activation.SIGMOID))
                .add(new BatchNormalization().center(false).scale(false))
                .add(new ELU(0.7))
                .add(new Dense(6, Activation.TANH))
                .add(new ActivationLayer(Activation.GELU))
                .add(new Dense(4, Activation.LINEAR))
                .add(new ActivationLayer(Activation.SOFTMAX));
        return m.build();
    }

    @Test
    void runtimeAgreesWithCnn4jOnEveryLayerType() throws OrtException {
        compareWithRuntime(oddModel(), 2, 9, 8);
        compareWithRuntime(newerLayersModel(false), 3, 7, 9);
        compareWithRuntime(newerLayersModel(true), 3, 7, 9);
    }

    static void compareWithRuntime(Sequential m, int c, int h, int w) throws OrtException {
        // non-zero biases and moving statistics, so that one dropped or misplaced shows
        Random r = new Random(3);
        m.params().forEach(p -> {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) r.nextGaussian() * 0.3f;
            }
        });
        m.layers().forEach(l -> l.buffers().forEach(b -> {
            float[] d = b.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = b.name().contains("variance") ? 0.5f + r.nextFloat() : (float) r.nextGaussian() * 0.3f;
            }
        }));
        byte[] onnx = OnnxExport.toBytes(m, Map.of("training_data", "none"));
        for (int n : new int[] {1, 5}) {
            Tensor x = Tensor.zeros(n, c, h, w);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = (float) r.nextGaussian();
            }
            float[] want = m.predict(x).data();
            float[] got = runOrt(onnx, x);
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s, batch %d, output %d", m.layers().get(1).type(), n, i)
                        .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void metadataAndHeader() throws java.io.IOException {
        byte[] onnx = OnnxExport.toBytes(oddModel(), Map.of("training_data", "mnist"));
        String text = new String(onnx, StandardCharsets.ISO_8859_1);
        assertThat(onnx[0]).as("ModelProto.ir_version tag").isEqualTo((byte) 0x08);
        assertThat(onnx[1]).as("IR version 7").isEqualTo((byte) 7);
        assertThat(text).contains("cnn4j.version", "cnn4j.seed", "training_data", "mnist");
        // from classes there is no pom.properties; in the jar, Maven's says the version
        assertThat(OnnxExport.version()).isNotBlank();
        assertThat(OnnxExport.version(new java.io.ByteArrayInputStream(
                "#Generated by Maven\nartifactId=cnn-core\ngroupId=org.cnn4j\nversion=0.1.0-SNAPSHOT\n"
                        .getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(OnnxExport.version(null)).isEqualTo("unknown");
        assertThat(text).doesNotContain("auto_pad");
    }

    @Test
    void aLayerWithoutMappingFailsNamingIt(@TempDir Path dir) throws Exception {
        Layer odd = new Layer() {
            @Override
            public String type() {
                return "Mystery";
            }

            @Override
            protected org.cnn4j.layers.LayerSpec spec(int[] inputShape) {
                return org.cnn4j.layers.LayerSpec.output(inputShape);
            }

            @Override
            public Tensor forward(Tensor x, boolean training) {
                return x;
            }

            @Override
            public Tensor backward(Tensor dy) {
                return dy;
            }
        };
        Sequential m = new Sequential(4).add(new Dense(3)).add(odd).build();
        Path out = dir.resolve("m.onnx");
        assertThatThrownBy(() -> OnnxExport.save(m, out, Map.of()))
                .isInstanceOf(OnnxExportException.class)
                .hasMessage("layer 'mystery' (Mystery) cannot be exported to ONNX: no mapping for Mystery");
        assertThat(Files.exists(out)).as("nothing written").isFalse();
    }

    /**
     * ONNX's own checker with full checks (shape inference included), on the seed CNN and on the
     * odd model. Runs where Debian's python3-onnx is installed; in CI ({@code CI=true}) it must be.
     */
    @Test
    void onnxCheckerAcceptsTheModels(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean ready = Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import onnx").start().waitFor() == 0;
        if (!"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(ready,
                    "python3-onnx is not installed (apt-get install -y python3-onnx); skipping ONNX's checker");
        }
        assertThat(ready).as("python3-onnx must be installed in CI (.ci/run installs it)").isTrue();
        Path seed = dir.resolve("seed.onnx");
        Path odd = dir.resolve("odd.onnx");
        OnnxExport.save(org.cnn4j.model.ModelZoo.digitRecognizer(1).build(), seed, Map.of());
        OnnxExport.save(oddModel(), odd, Map.of());
        Path newer = dir.resolve("newer.onnx");
        OnnxExport.save(newerLayersModel(false), newer, Map.of());
        String script = String.join("\n",
                "import sys, onnx",
                "for f in sys.argv[1:]:",
                "    m = onnx.load(f)",
                "    onnx.checker.check_model(m, full_check=True)",
                "    ops = [n.op_type for n in m.graph.node]",
                "    print(f, m.ir_version, m.opset_import[0].version, ' '.join(ops),"
                        + " m.graph.input[0].type.tensor_type.shape.dim[0].dim_param)");
        Process p = new ProcessBuilder(python.toString(), "-c", script, seed.toString(), odd.toString(), newer.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains(seed + " 7 13 Conv Relu Conv Relu MaxPool Conv Relu Conv Relu MaxPool Flatten Gemm Relu"
                + " Gemm Softmax Identity N");
        assertThat(out).contains(odd + " 7 13 Conv Relu MaxPool Conv Relu Flatten Gemm Relu Gemm Softmax Identity N");
        assertThat(out).contains(newer + " 7 13 Conv Elu BatchNormalization AveragePool Conv Div Erf Add Mul Mul LeakyRelu"
                + " Conv LeakyRelu Tanh GlobalAveragePool Flatten Gemm Sigmoid BatchNormalization Elu Gemm Tanh"
                + " Div Erf Add Mul Mul Gemm Softmax Identity N");
    }

    static float[] runOrt(byte[] onnx, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = java.util.Arrays.stream(x.shape()).asLongStream().toArray();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape);
             OrtSession.Result res = s.run(Map.of(OnnxExport.INPUT, in))) {
            OnnxTensor out = (OnnxTensor) res.get(OnnxExport.OUTPUT).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] f = new float[fb.remaining()];
            fb.get(f);
            return f;
        }
    }
}
