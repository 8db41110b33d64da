package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
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

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.cnn4j");
        ModelFile.save(trained, f);
        ModelFile.save(trained, f);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    /**
     * A small, checksummed, well-formed file whose configuration asks for a Dense layer of about
     * 2e9 weights (8 GB, more than the test heap) is rejected before anything that size is
     * allocated: without the bound this test ends in an OutOfMemoryError.
     */
    @Test
    void aLayerConfigurationLargerThanTheFileIsRejectedWithoutAllocating() throws Exception {
        Sequential small = new Sequential(1 << 14).seed(1).add(new org.cnn4j.layers.Dense(1, org.cnn4j.layers.Activation.LINEAR));
        byte[] forged = forgeUnits(ModelFile.toBytes(small, false, Map.of()), 120_000);
        assertThat(forged.length).isLessThan(100_000);
        assertThatThrownBy(() -> ModelFile.fromBytes(forged, "f")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds 16385 weights, its configuration needs 1966200000");
    }

    /**
     * A configuration string of the file (here with a line break, an escape sequence and 400 more
     * characters) is quoted in the error as one line, control characters as '?', cut at 300 characters.
     */
    @Test
    void aConfigurationStringIsQuotedAsOneShortLine() throws Exception {
        Sequential small = new Sequential(4).seed(1).add(new org.cnn4j.layers.Dense(1, org.cnn4j.layers.Activation.LINEAR));
        String units = "1\n\u001b[2J" + "x".repeat(400);
        byte[] forged = forgeUnits(ModelFile.toBytes(small, false, Map.of()), units);
        String detail = "layer configuration 'units' is not an integer: 1??[2J" + "x".repeat(400);
        assertThatThrownBy(() -> ModelFile.fromBytes(forged, "f")).isInstanceOf(ModelFormatException.class)
                .hasMessage("f: invalid model: " + detail.substring(0, 300) + "...");
    }

    private static byte[] forgeUnits(byte[] file, int units) {
        return forgeUnits(file, Integer.toString(units));
    }

    /** Rewrites the "units" value of the only Dense layer and fixes the checksum. */
    private static byte[] forgeUnits(byte[] file, String units) {
        String s = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("units");
        assertThat(at).isPositive();
        int valueLen = ((file[at + 5] & 0xff) << 8) | (file[at + 6] & 0xff);
        byte[] value = units.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(file, 0, at + 5);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        out.write(file, at + 7 + valueLen, file.length - 4 - (at + 7 + valueLen));
        byte[] b = out.toByteArray();
        java.nio.ByteBuffer.wrap(b).putLong(16, b.length - ModelFile.HEADER);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b);
        return java.nio.ByteBuffer.allocate(b.length + 4).put(b).putInt((int) crc.getValue()).array();
    }
}
