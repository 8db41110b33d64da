package org.cnn4j.mnist.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.image.DigitImagePreprocessor;

/**
 * The image path of {@code predict} (content sniffing, bounded decode of PNG/JPEG/BMP/GIF,
 * preprocessing) on arbitrary bytes: it returns 784 values in [0, 1] or throws
 * {@link InputException} with one line naming the file; nothing else escapes. The decoders are the
 * JDK's (not instrumented, so the fuzzer is blind inside them); the seeds are one small valid file
 * of each format.
 */
class PredictImageFuzzTest {
    private static final DigitImagePreprocessor PRE = new DigitImagePreprocessor(1_000_000);

    @FuzzTest(maxDuration = "12s") // as the pom's fuzz.duration, which overrides it under Maven
    void image(byte[] input) {
        Path file = FuzzFiles.write("digit.img", input);
        float[] x;
        try {
            x = PRE.preprocess(file);
        } catch (InputException e) {
            FuzzChecks.oneLine(e, file);
            return;
        }
        if (x.length != 784) {
            throw new AssertionError(x.length + " values");
        }
        for (float v : x) {
            if (!(v >= 0 && v <= 1)) {
                throw new AssertionError("value " + v + " outside [0, 1]");
            }
        }
    }
}
