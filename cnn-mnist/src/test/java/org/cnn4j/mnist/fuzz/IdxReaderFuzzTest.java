package org.cnn4j.mnist.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.IdxReader;
import org.cnn4j.mnist.data.LabeledImages;

/**
 * The IDX reader on arbitrary bytes, raw or gzipped: it returns images or labels consistent with
 * the file, or throws {@link InputException}; nothing else escapes, and no input makes it allocate
 * more than the file can hold (the fuzzing JVM has a 512 MB heap: an allocation trusted to a lying
 * header is an OutOfMemoryError, which fails the test).
 *
 * <p>The first byte picks the mode: bit 0 images or labels, bit 1 gzip the rest first (so the
 * parser behind the decompressor is fuzzed too, not only the gzip format).
 */
class IdxReaderFuzzTest {
    @FuzzTest(maxDuration = "12s") // as the pom's fuzz.duration, which overrides it under Maven
    void idx(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        boolean labels = (input[0] & 1) != 0;
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 2) != 0) {
            body = gzip(body);
        }
        Path file = FuzzFiles.write(labels ? "labels-idx1-ubyte" : "images-idx3-ubyte", body);
        try {
            if (labels) {
                byte[] l = IdxReader.readLabels(file);
                for (byte b : l) {
                    if (b < 0 || b > 9) {
                        throw new AssertionError("label " + b + " accepted");
                    }
                }
            } else {
                LabeledImages im = IdxReader.readImages(file);
                if (im.rows() != 28 || im.cols() != 28 || (long) im.size() * 784 != im.pixels().remaining()) {
                    throw new AssertionError("inconsistent images: " + im);
                }
            }
        } catch (InputException e) {
            FuzzChecks.oneLine(e, file);
        }
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }
}
