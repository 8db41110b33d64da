package org.cnn4j.mnist.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;

/**
 * The Kaggle CSV reader on arbitrary bytes: it returns images consistent with the file or throws
 * {@link InputException} with one line naming the file; nothing else escapes.
 *
 * <p>The first byte picks the mode: bit 0 train.csv or test.csv; bit 1 keeps the bytes as the
 * whole file, else they follow a correct header, so the fuzzer reaches the rows at once (a
 * 785-column header is hard to find by mutation).
 */
class KaggleCsvFuzzTest {
    private static final byte[] TRAIN_HEADER = (String.join(",", KaggleCsv.trainHeader()) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEST_HEADER = (String.join(",", KaggleCsv.testHeader()) + "\n")
            .getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "12s") // as the pom's fuzz.duration, which overrides it under Maven
    void csv(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean train = (input[0] & 1) == 0;
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if ((input[0] & 2) == 0) {
            content.writeBytes(train ? TRAIN_HEADER : TEST_HEADER);
        }
        content.write(input, 1, input.length - 1);
        Path file = FuzzFiles.write(train ? "train.csv" : "test.csv", content.toByteArray());
        try {
            LabeledImages im = train ? KaggleCsv.readTrain(file) : KaggleCsv.readTest(file);
            if (im.isLabeled() != train || im.rows() != 28 || im.cols() != 28) {
                throw new AssertionError("inconsistent images: " + im);
            }
        } catch (InputException e) {
            FuzzChecks.oneLine(e, file);
        }
    }
}
