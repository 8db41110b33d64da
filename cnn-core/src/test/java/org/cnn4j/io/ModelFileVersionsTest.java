package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The model file is a promise: a version 1 file written before buffers existed still loads and
 * predicts the same bits, and the header's version and flags are checked.
 */
class ModelFileVersionsTest {

    static byte[] resource(String name) throws Exception {
        try (InputStream in = ModelFileVersionsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Rewrites the header's int at {@code offset} and fixes the checksum. */
    static byte[] withHeaderInt(byte[] file, int offset, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).putInt(offset, value);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Test
    void aVersion1FilePredictsTheBitsItPredictedWhenItWasWritten() throws Exception {
        byte[] v1 = resource("v1-small.cnn4j");
        assertThat(ByteBuffer.wrap(v1).getInt(8)).as("the fixture is a version 1 file").isEqualTo(1);
        List<String> lines = new String(resource("v1-small.expected.txt"), StandardCharsets.US_ASCII).lines().toList();
        // the header: "predictions ... on input[i] = new java.util.Random(1).nextFloat() over [4,1,8,8], as float bits"
        assertThat(lines.get(0)).contains("new java.util.Random(1).nextFloat() over [4,1,8,8]");
        Tensor x = Tensor.zeros(4, 1, 8, 8);
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        ModelFile.Loaded loaded = ModelFile.fromBytes(v1, "v1-small.cnn4j");
        float[] y = loaded.model().predict(x).data();
        List<String> expected = lines.subList(1, lines.size());
        assertThat(y).hasSize(expected.size());
        for (int i = 0; i < y.length; i++) {
            assertThat(Integer.toHexString(Float.floatToRawIntBits(y[i]))).as("prediction %d", i).isEqualTo(expected.get(i));
        }
        assertThat(loaded.model().optimizer()).as("flag bit 0: the optimizer section").isNotNull();
    }

    @Test
    void aVersion1FileSavedAgainIsVersion2AndLoadsTheSame() throws Exception {
        Sequential m = ModelFile.fromBytes(resource("v1-small.cnn4j"), "v1").model();
        byte[] v2 = ModelFile.toBytes(m, true, Map.of());
        assertThat(ByteBuffer.wrap(v2).getInt(8)).isEqualTo(ModelFile.VERSION).isEqualTo(2);
        Sequential again = ModelFile.fromBytes(v2, "v2").model();
        Tensor x = Tensor.zeros(2, 1, 8, 8);
        java.util.Arrays.fill(x.data(), 0.3f);
        assertThat(again.predict(x).data()).isEqualTo(m.predict(x).data());
        assertThat(again.getWeights().get(0).data()).isEqualTo(m.getWeights().get(0).data());
    }

    @Test
    void versionsOutsideOneToTwoAreRefused() throws Exception {
        byte[] good = ModelFile.toBytes(ModelZoo.digitRecognizer(1, 8, 8, 3, 1), false, Map.of());
        for (int v : new int[] {0, 3, -1}) {
            assertThatThrownBy(() -> ModelFile.fromBytes(withHeaderInt(good, 8, v), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: model format version " + v + " is not supported (this cnn4j reads versions 1 to 2)");
        }
    }

    @Test
    void unknownFlagBitsAreRefused() throws Exception {
        byte[] good = ModelFile.toBytes(ModelZoo.digitRecognizer(1, 8, 8, 3, 1), false, Map.of());
        assertThat(ModelFile.fromBytes(good, "m").model()).isNotNull();
        for (int flags : new int[] {2, 1 | 4, 0x8000_0000}) {
            assertThatThrownBy(() -> ModelFile.fromBytes(withHeaderInt(good, 12, flags), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("m.cnn4j: unknown flag bits 0x");
        }
        byte[] v1 = resource("v1-small.cnn4j");
        assertThatThrownBy(() -> ModelFile.fromBytes(withHeaderInt(v1, 12, 3), "v1.cnn4j"))
                .isInstanceOf(ModelFormatException.class).hasMessage("v1.cnn4j: unknown flag bits 0x00000002 in the header (this cnn4j knows 0x00000001)");
    }
}
