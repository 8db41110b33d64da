package org.cnn4j.mnist.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.cnn4j.io.ModelFile;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.model.Sequential;

/**
 * The model-file parser on arbitrary bytes: it returns a usable model or throws
 * {@link ModelFormatException} with one line naming the source; nothing else escapes, and a small
 * file cannot make it allocate much (the fuzzing JVM has a 512 MB heap).
 *
 * <p>The first byte picks the mode: bit 0 clear, the rest is the whole file (the checksum stops
 * almost every mutation, which is the point of it); bit 0 set, the rest is the payload, framed
 * with a correct header, length and checksum so the fuzzer reaches the parser behind them.
 */
class ModelFileFuzzTest {
    private static final byte[] MAGIC = "CNN4JMDL".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "12s") // as the pom's fuzz.duration, which overrides it under Maven
    void modelFile(byte[] input) throws ModelFormatException {
        if (input.length == 0) {
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(input, 1, input.length);
        byte[] file = (input[0] & 1) == 0 ? rest : frame(rest, (input[0] & 2) != 0);
        ModelFile.Loaded loaded;
        try {
            loaded = ModelFile.fromBytes(file, "fuzz.cnn4j");
        } catch (ModelFormatException e) {
            FuzzChecks.oneLine(e, "fuzz.cnn4j");
            return;
        }
        // what loaded must work: its summary and, for small inputs, one prediction
        Sequential m = loaded.model();
        m.summary();
        long in = 1;
        for (int d : m.inputShape()) {
            in *= d;
        }
        if (in > 0 && in <= 4096 && m.paramCount() <= 100_000) {
            try {
                m.predict(org.cnn4j.tensor.Tensor.zeros(org.cnn4j.tensor.Shapes.batched(1, m.inputShape())));
            } catch (IllegalArgumentException e) {
                throw new AssertionError("a model that loaded cannot predict", e);
            }
        }
    }

    /** {@code payload} behind a correct header (optimizer flag as given) and checksum. */
    static byte[] frame(byte[] payload, boolean optimizer) {
        ByteBuffer b = ByteBuffer.allocate(24 + payload.length + 4);
        b.put(MAGIC).putInt(ModelFile.VERSION).putInt(optimizer ? 1 : 0).putLong(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24 + payload.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
