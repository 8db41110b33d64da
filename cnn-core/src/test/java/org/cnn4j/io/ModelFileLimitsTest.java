package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.ReLU;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits a model file is held to before its body is trusted (issue 11): special files, huge
 * files, unknown flag bits, non-finite values, and networks whose activations for one sample
 * would fill the heap.
 */
class ModelFileLimitsTest {
    static Sequential small() {
        Sequential m = new Sequential(1, 4, 4).add(new Flatten()).add(new Dense(3));
        m.build();
        return m;
    }

    /** Rewrites the CRC so that a change to the header or payload reaches the parser. */
    static byte[] withCrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return b;
    }

    /**
     * A stored input shape with a dimension of 0 is refused with the shape. Both files loaded:
     * channels 0 before a global max pooling (no weights) predicted [N, 0]; height 0 before a
     * global average pooling and a Dense (whose weights do not depend on the height) predicted
     * the Dense of means over no cell.
     */
    @Test
    void anInputShapeWithADimensionOfZeroIsRefused() throws Exception {
        Sequential pooled = new Sequential(1, 4, 4).add(new org.cnn4j.layers.GlobalMaxPooling2D());
        Sequential averaged = new Sequential(3, 4, 4).add(new org.cnn4j.layers.GlobalAveragePooling2D()).add(new Dense(2));
        int[] at = {0, 1}; // which dimension becomes 0
        String[] shapes = {"[0, 4, 4]", "[3, 0, 4]"};
        Sequential[] models = {pooled, averaged};
        for (int i = 0; i < models.length; i++) {
            byte[] b = ModelFile.toBytes(models[i].build(), false, Map.of());
            // the payload begins after the 24-byte header with the input shape: its length, then its dimensions
            ByteBuffer.wrap(b).putInt(24 + 4 + 4 * at[i], 0);
            assertThatThrownBy(() -> ModelFile.fromBytes(withCrc(b), "m.cnn4j")).isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid input shape " + shapes[i] + " (every dimension of a sample must be at least 1)");
        }
    }

    @Test
    void unknownFlagBitsAreRefused() throws Exception {
        byte[] b = ModelFile.toBytes(small(), false, Map.of());
        b[15] |= 0x04; // flags are bytes 12..15, big-endian: bit 2
        assertThatThrownBy(() -> ModelFile.fromBytes(withCrc(b), "m.cnn4j"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("unknown flag bits 0x00000004");
    }

    @Test
    void nonFiniteWeightsAreRefusedOnLoadAndOnSave(@TempDir Path dir) throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Sequential m = small();
            byte[] good = ModelFile.toBytes(m, false, Map.of());
            m.params().get(0).value().data()[5] = bad;
            assertThatThrownBy(() -> ModelFile.save(m, dir.resolve("m.cnn4j"), false, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at index 5");
            assertThat(dir.resolve("m.cnn4j")).doesNotExist();
            // the same file with the value patched in, checksum fixed
            byte[] b = good.clone();
            int at = indexOfFloat(b, m, 5);
            ByteBuffer.wrap(b).putFloat(at, bad);
            assertThatThrownBy(() -> ModelFile.fromBytes(withCrc(b), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("m.cnn4j: layer 2, weight array 1, holds " + bad + " at index 5");
        }
    }

    /** A non-finite buffer (a moving statistic) is refused on save too: loading refuses it, so the save made a file that would not load. */
    @Test
    void nonFiniteBuffersAreRefusedOnSave(@TempDir Path dir) throws Exception {
        Sequential m = new Sequential(4).seed(1).add(new Dense(3)).add(new org.cnn4j.layers.BatchNormalization());
        m.build();
        m.buffers().get(1).value().data()[2] = Float.POSITIVE_INFINITY;
        Path f = dir.resolve("m.cnn4j");
        assertThatThrownBy(() -> ModelFile.save(m, f, false, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot save the model: buffer moving_variance holds Infinity at index 2");
        assertThat(f).doesNotExist();
    }

    /** Where weight {@code i} of the first Dense kernel sits: find its bytes in the file. */
    private static int indexOfFloat(byte[] file, Sequential m, int i) {
        float[] w = m.params().get(0).value().data();
        byte[] pattern = ByteBuffer.allocate(12).putFloat(w[0]).putFloat(w[1]).putFloat(w[2]).array();
        for (int p = 0; p + pattern.length <= file.length; p++) {
            if (java.util.Arrays.equals(file, p, p + pattern.length, pattern, 0, pattern.length)) {
                return p + 4 * i;
            }
        }
        throw new AssertionError("kernel not found");
    }

    /**
     * Optimizer state the optimizer cannot use is refused on load, not at the first training step
     * after it: Adam keeps two arrays per parameter (one made it fail with an
     * ArrayIndexOutOfBoundsException in fit), and a negative step count made Adam's bias correction
     * turn every weight into NaN.
     */
    @Test
    void optimizerStateTheOptimizerCannotUseIsRefused() throws Exception {
        Sequential m = small();
        m.compile(new org.cnn4j.optim.Adam(), new org.cnn4j.loss.CategoricalCrossentropy());
        byte[] fresh = ModelFile.toBytes(m, true, Map.of()); // no state yet: ... iterations, 0 slots, 0 metadata, CRC
        m.trainOnBatch(org.cnn4j.tensor.Tensor.zeros(1, 1, 4, 4), org.cnn4j.tensor.Tensor.wrap(new float[] {1, 0, 0}, 1, 3), null);
        assertThat(ModelFile.fromBytes(ModelFile.toBytes(m, true, Map.of()), "m").model().optimizer().slots()).hasSize(2);
        float[][] kept = m.optimizer().slots().get(1);
        m.optimizer().slots().set(1, new float[][] {kept[0]});
        byte[] oneArray = ModelFile.toBytes(m, true, Map.of());
        assertThatThrownBy(() -> ModelFile.fromBytes(oneArray, "m.cnn4j")).isInstanceOf(ModelFormatException.class)
                .hasMessage("m.cnn4j: invalid model: Adam state of parameter 2 has 1 arrays, Adam keeps 2");
        for (long steps : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            byte[] b = fresh.clone();
            ByteBuffer.wrap(b).putLong(b.length - 20, steps);
            assertThatThrownBy(() -> ModelFile.fromBytes(withCrc(b), "m.cnn4j")).isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: Adam state: invalid step count " + steps);
        }
    }

    @Test
    void aSmallFileWhoseNetworkNeedsHundredsOfMegabytesPerSampleIsRefused() throws Exception {
        // 100,000 1x1 filters on 28x28: 800 KB of weights, 313 MB of output per image
        Sequential wide = new Sequential(1, 28, 28).add(new Conv2D(100_000, 1));
        byte[] b = ModelFile.toBytes(wide, false, Map.of());
        assertThat(b.length).isLessThan(1 << 21);
        assertThatThrownBy(() -> ModelFile.fromBytes(b, "wide.cnn4j")).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("wide.cnn4j: the network's layers produce more than 16,777,216 values");
        // 30,000 ReLU layers on 28x28: no weights at all, 94 MB of outputs per image
        Sequential deep = new Sequential(1, 28, 28);
        for (int i = 0; i < 30_000; i++) {
            deep.add(new ReLU());
        }
        byte[] d = ModelFile.toBytes(deep, false, Map.of());
        assertThatThrownBy(() -> ModelFile.fromBytes(d, "deep.cnn4j")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("(30000 layers)");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFifoOrADeviceIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("model.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo failed");
        assertThatThrownBy(() -> ModelFile.load(fifo)).isInstanceOf(ModelFormatException.class)
                .hasMessage(fifo + ": not a regular file");
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));
        assertThatThrownBy(() -> ModelFile.load(zero)).isInstanceOf(ModelFormatException.class)
                .hasMessage("/dev/zero: not a regular file");
    }

    @Test
    void aLargeFileIsJudgedByItsHeaderNotReadWhole(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.cnn4j");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("CNN4JMDL".getBytes()), 0);
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 0, 0}), 8);
            ch.write(ByteBuffer.allocate(8).putLong(0, 5), 16); // says 5 payload bytes
            ch.write(ByteBuffer.wrap(new byte[1]), (1L << 30) - 1); // a sparse 1 GB file
        }
        assertThatThrownBy(() -> ModelFile.load(big)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("header says 5 payload bytes");
        // a version this code cannot read is refused by its header too, not read whole (nor refused for want of heap)
        Path future = dir.resolve("future.cnn4j");
        try (var ch = java.nio.channels.FileChannel.open(future, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("CNN4JMDL".getBytes()), 0);
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 3, 0, 0, 0, 0}), 8);
            ch.write(ByteBuffer.allocate(8).putLong(0, (1L << 31) - 100 - 28), 16); // its length matches the file
            ch.write(ByteBuffer.wrap(new byte[1]), (1L << 31) - 101); // a sparse 2 GB file
        }
        assertThatThrownBy(() -> ModelFile.load(future)).isInstanceOf(ModelFormatException.class)
                .hasMessage(future + ": model format version 3 is not supported (this cnn4j reads versions 1 to 2)");
        Path junk = dir.resolve("junk.cnn4j");
        try (var ch = java.nio.channels.FileChannel.open(junk, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), (1L << 30) - 1);
        }
        assertThatThrownBy(() -> ModelFile.load(junk)).isInstanceOf(ModelFormatException.class)
                .hasMessage(junk + ": not a cnn4j model file (bad magic)");
    }
}
