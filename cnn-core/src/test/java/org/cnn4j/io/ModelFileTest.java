package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TensorDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    static Sequential trained;
    static Tensor probe;

    @BeforeAll
    static void train() {
        trained = ModelZoo.digitRecognizer(5);
        Rng r = new Rng(1);
        Tensor x = Tensor.zeros(16, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = i % 10;
        }
        trained.fit(x, TensorDataset.oneHot(labels, 10), new FitOptions().batchSize(8).epochs(1));
        probe = x;
    }

    @Test
    void roundTripGivesBitIdenticalPredictionsAndOptimizerState(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.cnn4j");
        ModelFile.save(trained, f, true, Map.of("epoch", "1"));
        ModelFile.Loaded loaded = ModelFile.loadWithMetadata(f);
        assertThat(loaded.metadata()).containsEntry("epoch", "1");
        Sequential m = loaded.model();
        assertThat(m.predict(probe).data()).containsExactly(trained.predict(probe).data());
        assertThat(m.summary()).isEqualTo(trained.summary());
        assertThat(m.optimizer().iterations()).isEqualTo(trained.optimizer().iterations());
        assertThat(m.optimizer().slots().get(9)[0]).containsExactly(trained.optimizer().slots().get(9)[0]);
        assertThat(m.optimizer().learningRate()).isEqualTo(trained.optimizer().learningRate());
    }

    @Test
    void everyFlippedByteIsRejected(@TempDir Path dir) throws Exception {
        byte[] good = ModelFile.toBytes(trained, false, Map.of());
        Rng r = new Rng(3);
        for (int trial = 0; trial < 50; trial++) {
            byte[] bad = good.clone();
            int pos = r.nextInt(bad.length);
            bad[pos] ^= (byte) (1 + r.nextInt(255));
            assertThatThrownBy(() -> ModelFile.fromBytes(bad, "m.cnn4j")).as("flip at %d", pos)
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("m.cnn4j: ");
        }
    }

    @Test
    void truncatedFilesAreRejected(@TempDir Path dir) throws Exception {
        byte[] good = ModelFile.toBytes(trained, true, Map.of());
        for (int len : new int[] {0, 5, 8, 20, 30, good.length / 2, good.length - 1}) {
            Path f = dir.resolve("t" + len);
            Files.write(f, java.util.Arrays.copyOf(good, len));
            assertThatThrownBy(() -> ModelFile.load(f)).as("length %d", len).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(f.toString());
        }
    }

    @Test
    void foreignFilesAndFutureVersionsAreRejected(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("x.cnn4j");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        assertThatThrownBy(() -> ModelFile.load(png)).hasMessageContaining("not a cnn4j model file");
        byte[] good = ModelFile.toBytes(trained, false, Map.of());
        good[11] = 9;
        assertThatThrownBy(() -> ModelFile.fromBytes(good, "v")).hasMessageContaining("version");
    }

    /** A forged configuration with a valid checksum must not make loading allocate what the file does not hold. */
    @Test
    void forgedLayerSizeWithAValidChecksumIsRejectedBeforeAllocating() throws Exception {
        Sequential small = new Sequential(8).add(new org.cnn4j.layers.Dense(1));
        byte[] good = ModelFile.toBytes(small, false, Map.of());
        String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("units") + "units".length();
        // the value "1" is stored as a 2-byte length then the digit; make it "200000000"
        java.io.ByteArrayOutputStream forged = new java.io.ByteArrayOutputStream();
        forged.write(good, 0, at);
        forged.write(new byte[] {0, 9});
        forged.write("200000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        forged.write(good, at + 3, good.length - 4 - (at + 3));
        byte[] body = forged.toByteArray();
        java.nio.ByteBuffer.wrap(body).putLong(16, body.length - ModelFile.HEADER);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        byte[] file = java.util.Arrays.copyOf(body, body.length + 4);
        java.nio.ByteBuffer.wrap(file).putInt(body.length, (int) crc.getValue());
        assertThatThrownBy(() -> ModelFile.fromBytes(file, "forged.cnn4j")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("configuration needs 1800000000");
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.cnn4j");
        ModelFile.save(trained, f);
        ModelFile.save(trained, f);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }
}
