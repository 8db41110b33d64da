package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Kaggle CSV files, and the exact {@code file:line:column} of every kind of error. */
class KaggleCsvTest {
    private static final String TRAIN_HEADER = String.join(",", KaggleCsv.trainHeader());
    private static final String TEST_HEADER = String.join(",", KaggleCsv.testHeader());

    @TempDir
    Path dir;

    /** The 784 pixels of a synthetic image, as CSV fields. */
    private static List<String> pixels(int seed) {
        List<String> fields = new ArrayList<>();
        for (int p = 0; p < 784; p++) {
            fields.add(Integer.toString((p * 7 + seed * 31) % 256));
        }
        return fields;
    }

    private static String trainRow(int label, int seed) {
        return label + "," + String.join(",", pixels(seed));
    }

    /** A train row with field {@code column} (1-based, as in the messages) replaced. */
    private static String trainRowWith(int column, String value) {
        List<String> fields = new ArrayList<>();
        fields.add("3");
        fields.addAll(pixels(1));
        fields.set(column - 1, value);
        return String.join(",", fields);
    }

    private Path csv(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path train(String... rows) throws IOException {
        return csv("train.csv", TRAIN_HEADER + "\n" + String.join("\n", rows) + "\n");
    }

    private static byte[] expectedPixels(int... seeds) {
        byte[] bytes = new byte[seeds.length * 784];
        for (int i = 0; i < seeds.length; i++) {
            List<String> p = pixels(seeds[i]);
            for (int j = 0; j < 784; j++) {
                bytes[i * 784 + j] = (byte) Integer.parseInt(p.get(j));
            }
        }
        return bytes;
    }

    @Test
    void readsATrainFileWithBomAndCrlf() throws IOException {
        Path file = csv("train.csv", "\uFEFF" + TRAIN_HEADER + "\r\n" + trainRow(7, 1) + "\r\n" + trainRow(0, 2)
                + "\r\n" + trainRow(9, 3) + "\r\n");

        LabeledImages images = KaggleCsv.readTrain(file);

        assertThat(images.size()).isEqualTo(3);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(images.cols()).isEqualTo(28);
        assertThat(images.copyLabels()).containsExactly(7, 0, 9);
        assertThat(images.copyPixels()).isEqualTo(expectedPixels(1, 2, 3));
    }

    @Test
    void readsATestFileWithoutFinalNewline() throws IOException {
        Path file = csv("test.csv", TEST_HEADER + "\n" + String.join(",", pixels(4)) + "\n"
                + String.join(",", pixels(5)));

        LabeledImages images = KaggleCsv.readTest(file);

        assertThat(images.isLabeled()).isFalse();
        assertThat(images.copyPixels()).isEqualTo(expectedPixels(4, 5));
    }

    @Test
    void readsAHeaderOnlyFileAsNoImages() throws IOException {
        assertThat(KaggleCsv.readTest(csv("test.csv", TEST_HEADER + "\n")).size()).isZero();
    }

    @Test
    void acceptsBlankLinesAtTheEnd() throws IOException {
        Path file = csv("train.csv", TRAIN_HEADER + "\n" + trainRow(1, 1) + "\n\n\r\n");

        assertThat(KaggleCsv.readTrain(file).size()).isEqualTo(1);
    }

    @Test
    void rejectsABlankLineBetweenRows() throws IOException {
        Path file = train(trainRow(1, 1), "", trainRow(2, 2));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":3:1: empty line between rows");
    }

    @Test
    void rejectsAWrongHeaderNamingTheColumn() throws IOException {
        Path file = csv("train.csv", TRAIN_HEADER.replace(",pixel1,", ",pixel_1,") + "\n" + trainRow(1, 1) + "\n");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1:3: header column 3 is 'pixel_1', expected 'pixel1'");
    }

    /** A quoted field may hold line breaks and be long: the message quotes it as one short line. */
    @Test
    void quotesAWrongHeaderAsOneLineOfAtMost20Characters() throws IOException {
        Path file = csv("train.csv", TRAIN_HEADER.replace(",pixel1,", ",\"pix\r\nel\u001b[2J_one_and_a_long_tail\",")
                + "\n" + trainRow(1, 1) + "\n");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1:3: header column 3 is 'pix??el?[2J_one_and_...', expected 'pixel1'");
    }

    @Test
    void quotesANonIntegerPixelAsOneLineOfAtMost20Characters() throws IOException {
        Path shortOne = train(trainRowWith(6, "1\t2\u007f"));
        assertThatThrownBy(() -> KaggleCsv.readTrain(shortOne))
                .isInstanceOf(InputException.class)
                .hasMessage(shortOne + ":2:6: pixel4 is '1?2?', not an integer 0..255");

        Path longOne = train(trainRowWith(7, "123456789012345678901234567890"));
        assertThatThrownBy(() -> KaggleCsv.readTrain(longOne))
                .isInstanceOf(InputException.class)
                .hasMessage(longOne + ":2:7: pixel5 is '12345678901234567890...', not an integer 0..255");
    }

    @Test
    void rejectsATestFileGivenAsTrain() throws IOException {
        Path file = csv("test.csv", TEST_HEADER + "\n" + String.join(",", pixels(1)) + "\n");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1:1: header column 1 is 'pixel0', expected 'label'"
                        + " (no label column: is this a test.csv?)");
    }

    @Test
    void rejectsAShortHeader() throws IOException {
        Path file = csv("train.csv", TRAIN_HEADER.replace(",pixel783", "") + "\n");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1:785: header has 784 columns, expected 785 (label,pixel0,...,pixel783)");
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        Path file = csv("train.csv", "");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1: empty file, expected the header label,pixel0,...,pixel783");
    }

    @Test
    void rejectsAShortRow() throws IOException {
        String shortRow = String.join(",", Arrays.asList(trainRow(4, 2).split(",")).subList(0, 700));
        Path file = train(trainRow(1, 1), shortRow);

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":3:701: row ends after 700 values, expected 785 (pixel699 is missing)");
    }

    @Test
    void rejectsALongRow() throws IOException {
        Path file = train(trainRow(1, 1) + ",0");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":2:786: row has 786 values, expected 785");
    }

    @Test
    void rejectsANonIntegerPixel() throws IOException {
        Path file = train(trainRow(1, 1), trainRow(2, 2), trainRowWith(12, "1.5"));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":4:12: pixel10 is '1.5', not an integer 0..255");
    }

    @Test
    void rejectsPixel256() throws IOException {
        Path file = train(trainRowWith(785, "256"));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":2:785: pixel783 is 256, expected an integer 0..255");
    }

    @Test
    void rejectsANegativePixel() throws IOException {
        Path file = train(trainRowWith(2, "-1"));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":2:2: pixel0 is -1, expected an integer 0..255");
    }

    @Test
    void rejectsLabel10() throws IOException {
        Path file = train(trainRow(1, 1), trainRow(2, 2), trainRowWith(1, "10"));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":4:1: label is 10, expected an integer 0..9");
    }

    @Test
    void rejectsAnEmptyValue() throws IOException {
        Path file = train(trainRowWith(7, ""));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":2:7: pixel5 is empty (a missing value)");
    }

    @Test
    void countsLinesFromTheFileAfterBomAndCrlf() throws IOException {
        Path file = csv("train.csv", "\uFEFF" + TRAIN_HEADER + "\r\n" + trainRow(1, 1) + "\r\n"
                + trainRowWith(785, "x") + "\r\n");

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":3:785: pixel783 is 'x', not an integer 0..255");
    }

    @Test
    void rejectsAnEmptyValueInATestFile() throws IOException {
        List<String> fields = pixels(1);
        fields.set(0, "");
        Path file = csv("test.csv", TEST_HEADER + "\n" + String.join(",", fields) + "\n");

        assertThatThrownBy(() -> KaggleCsv.readTest(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":2:1: pixel0 is empty (a missing value)");
    }

    @Test
    void rejectsTextThatIsNotUtf8NamingTheLine() throws IOException {
        Path file = dir.resolve("train.csv");
        // Latin-1 on line 3, well inside the first buffer the reader decodes ahead.
        String good = TRAIN_HEADER + "\n" + trainRow(1, 1) + "\n";
        byte[] bad = {'3', ',', (byte) 0xe9, '\n'};
        Files.write(file, IdxFixtures.concat(good.getBytes(StandardCharsets.UTF_8), bad));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":3: not UTF-8 text");
    }

    @Test
    void rejectsBrokenQuoting() throws IOException {
        Path file = train(trainRow(1, 1), trainRowWith(3, "\"12"));

        assertThatThrownBy(() -> KaggleCsv.readTrain(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":3: malformed CSV: ");
    }

    @Test
    void acceptsQuotedValues() throws IOException {
        Path file = train(trainRowWith(1, "\"5\""));

        assertThat(KaggleCsv.readTrain(file).label(0)).isEqualTo(5);
    }

    /**
     * The row buffer doubled in ints, {@code 2 * count * 784}: at 2,097,152 rows that is negative
     * (NegativeArraySizeException). The growth is now in longs and stops at {@link KaggleCsv#MAX_ROWS},
     * the most rows one byte array holds; a file with more is one line naming it.
     */
    @Test
    void theRowBufferGrowsWithoutOverflowUpToTheLargestArray() {
        assertThat(KaggleCsv.MAX_ROWS).isEqualTo(2_739_137);
        assertThat((long) KaggleCsv.MAX_ROWS * 784).isLessThanOrEqualTo(Integer.MAX_VALUE - 8);
        assertThat(2 * 2_097_152 * 784).as("the old growth, in ints").isNegative();
        int capacity = 1024;
        List<Integer> capacities = new ArrayList<>();
        while (capacity < KaggleCsv.MAX_ROWS) {
            capacity = KaggleCsv.grow(capacity, KaggleCsv.MAX_ROWS);
            capacities.add(capacity);
        }
        assertThat(capacities).endsWith(1_048_576, 2_097_152, KaggleCsv.MAX_ROWS);
        assertThat(KaggleCsv.grow(3, 5)).isEqualTo(5);
    }

    @Test
    void aFileWithMoreRowsThanTheLimitIsOneLineNamingTheRow() throws IOException {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(trainRow(i, i));
        }
        Path file = train(rows.toArray(String[]::new));
        // 1024 rows fill the first buffer; a limit of 4 and 5 exercises the clamp and the refusal
        assertThat(KaggleCsv.read(file, true, 5).size()).isEqualTo(5);
        assertThat(KaggleCsv.read(file, true, 5).copyPixels()).isEqualTo(expectedPixels(0, 1, 2, 3, 4));
        assertThatThrownBy(() -> KaggleCsv.read(file, true, 4))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":6: more than 4 rows: the images of one CSV are one array of at most 4 rows of 784 "
                        + "pixels; split the file");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(trainRow(i % 10, i));
        }
        Path big = train(many.toArray(String[]::new));
        // past the first 1,024 rows the buffer grows to the limit, not beyond it
        LabeledImages all = KaggleCsv.read(big, true, 1500);
        assertThat(all.size()).isEqualTo(1500);
        assertThat(all.label(1499)).isEqualTo(9);
        assertThatThrownBy(() -> KaggleCsv.read(big, true, 1499)).hasMessageStartingWith(big + ":1501: more than 1,499 rows");
    }

    @Test
    void rejectsAMissingFile() {
        Path file = dir.resolve("nope.csv");

        assertThatThrownBy(() -> KaggleCsv.readTest(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": no such file");
    }
}
