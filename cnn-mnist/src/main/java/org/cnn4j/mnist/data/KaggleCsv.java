package org.cnn4j.mnist.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cnn4j.io.MessageText;
import org.cnn4j.mnist.InputException;

/**
 * Reads the Kaggle "Digit Recognizer" CSV files: {@code train.csv} (header
 * {@code label,pixel0,...,pixel783}) and {@code test.csv} (header {@code pixel0,...,pixel783}),
 * one 28x28 image per row with pixels 0..255.
 *
 * <p>Every row is checked; nothing is skipped or patched. The first problem is an
 * {@link InputException} whose message starts with {@code file:line:column} (1-based, the line as
 * an editor shows it, the column as a field number) and names the column, e.g.
 * {@code train.csv:7:786: pixel783 is 256, expected an integer 0..255}. Empty values (the seed
 * kernel's {@code isnull()} check) are errors too. A UTF-8 byte order mark and CRLF line endings
 * are accepted, and so are blank lines at the very end of the file, but not between rows.
 */
public final class KaggleCsv {
    /** Pixels per row. */
    public static final int PIXELS = IdxReader.ROWS * IdxReader.COLS;
    /** Name of the label column of train.csv. */
    public static final String LABEL = "label";

    private static final char BOM = '\uFEFF';
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            // An empty line is reported, not silently dropped.
            .setIgnoreEmptyLines(false)
            .get();

    private KaggleCsv() {
    }

    private static final List<String> TEST_HEADER = pixelNames();
    private static final List<String> TRAIN_HEADER = withLabel(TEST_HEADER);

    /** The header of train.csv: {@code label,pixel0,...,pixel783}. */
    public static List<String> trainHeader() {
        return TRAIN_HEADER;
    }

    /** The header of test.csv: {@code pixel0,...,pixel783}. */
    public static List<String> testHeader() {
        return TEST_HEADER;
    }

    private static List<String> pixelNames() {
        List<String> h = new ArrayList<>(PIXELS);
        for (int i = 0; i < PIXELS; i++) {
            h.add("pixel" + i);
        }
        return List.copyOf(h);
    }

    private static List<String> withLabel(List<String> pixels) {
        List<String> h = new ArrayList<>(PIXELS + 1);
        h.add(LABEL);
        h.addAll(pixels);
        return List.copyOf(h);
    }

    /**
     * Reads a train.csv: labeled 28x28 images.
     *
     * @throws InputException at the first problem, naming {@code file:line:column}
     */
    public static LabeledImages readTrain(Path file) {
        return read(file, true);
    }

    /**
     * Reads a test.csv: unlabeled 28x28 images.
     *
     * @throws InputException at the first problem, naming {@code file:line:column}
     */
    public static LabeledImages readTest(Path file) {
        return read(file, false);
    }

    /**
     * The most rows one read holds: their pixels are one byte array, indexed by int (the JVM's
     * largest array is a few bytes short of {@code Integer.MAX_VALUE}): 2,739,137 rows of 784.
     */
    static final int MAX_ROWS = (Integer.MAX_VALUE - 8) / PIXELS;

    private static LabeledImages read(Path file, boolean labeled) {
        return read(file, labeled, MAX_ROWS);
    }

    /** {@link #readTrain} or {@link #readTest} with another row limit (tests: a small one instead of a huge file). */
    static LabeledImages read(Path file, boolean labeled, int maxRows) {
        InputFiles.requireRegularFile(file, "a CSV file");
        try {
            // a row of 784 pixels takes at least 1,568 characters and becomes 785 bytes (twice while its buffer grows)
            InputFiles.requireHeap(file, Files.size(file), String.format(java.util.Locale.ROOT,
                    "the images of this %,d-byte CSV", Files.size(file)));
        } catch (IOException e) {
            // let the reader below report it
        }
        List<String> header = labeled ? trainHeader() : testHeader();
        long line = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            skipBom(reader);
            CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
            Iterator<CSVRecord> records = parser.iterator();
            line = 1;
            if (!records.hasNext()) {
                throw new InputException(file + ":1: empty file, expected the header " + summary(header));
            }
            checkHeader(file, records.next(), header);
            Rows rows = new Rows(labeled, maxRows);
            long blankLine = 0;
            while (true) {
                // The record's first line: the parser has consumed the lines up to the previous record.
                line = parser.getCurrentLineNumber() + 1;
                if (!records.hasNext()) {
                    break;
                }
                CSVRecord record = records.next();
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    blankLine = blankLine == 0 ? line : blankLine;
                    continue;
                }
                if (blankLine != 0) {
                    throw new InputException(file + ":" + blankLine + ":1: empty line between rows");
                }
                rows.add(file, line, record, header);
            }
            return rows.toImages();
        } catch (UncheckedIOException e) {
            throw failure(file, line, e.getCause());
        } catch (IOException e) {
            throw failure(file, line, e);
        }
    }

    private static void skipBom(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != BOM) {
            reader.reset();
        }
    }

    private static void checkHeader(Path file, CSVRecord record, List<String> header) {
        int n = Math.min(record.size(), header.size());
        for (int i = 0; i < n; i++) {
            if (!record.get(i).equals(header.get(i))) {
                String hint = "";
                if (i == 0 && record.get(0).equals("pixel0") && header.get(0).equals(LABEL)) {
                    hint = " (no label column: is this a test.csv?)";
                } else if (i == 0 && record.get(0).equals(LABEL) && header.get(0).equals("pixel0")) {
                    hint = " (a label column: is this a train.csv?)";
                }
                throw new InputException(file + ":1:" + (i + 1) + ": header column " + (i + 1) + " is '"
                        + abbreviate(record.get(i)) + "', expected '" + header.get(i) + "'" + hint);
            }
        }
        if (record.size() != header.size()) {
            throw new InputException(file + ":1:" + (n + 1) + ": header has " + record.size()
                    + " columns, expected " + header.size() + " (" + summary(header) + ")");
        }
    }

    private static String summary(List<String> header) {
        return header.get(0) + "," + header.get(1) + ",...," + header.get(header.size() - 1);
    }

    private static InputException failure(Path file, long line, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(file + ": no such file", e);
        }
        if (e instanceof CharacterCodingException) {
            // The reader decodes ahead of the parser, so find the line of the bad byte itself.
            return new InputException(file + ":" + firstNonUtf8Line(file) + ": not UTF-8 text", e);
        }
        if (e.getClass().getName().startsWith("org.apache.commons.csv.")) {
            return new InputException(file + ":" + line + ": malformed CSV: " + OutputFiles.describe(e), e);
        }
        return new InputException(file + ":" + line + ": cannot read: " + OutputFiles.describe(e), e);
    }

    /** The 1-based line holding the first byte that is not UTF-8, or 0 if there is none. */
    private static long firstNonUtf8Line(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            boolean eof = false;
            while (true) {
                eof = eof || channel.read(in) < 0;
                in.flip();
                CoderResult result = decoder.decode(in, out, eof);
                out.flip();
                while (out.hasRemaining()) {
                    if (out.get() == '\n') {
                        line++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    return line;
                }
                in.compact();
                if (eof && result.isUnderflow()) {
                    return 0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The next capacity, in rows: twice as many, up to {@code maxRows}. In ints, {@code 2 * count * PIXELS}
     * overflows past 1,369,568 rows: the doubling at 2,097,152 rows asked for a negative size
     * (a NegativeArraySizeException, "internal error", on a heap big enough to get there).
     */
    static int grow(int count, int maxRows) {
        return (int) Math.min(2L * count, maxRows);
    }

    /** The rows read so far, in arrays that grow with the data. */
    private static final class Rows {
        private final boolean labeled;
        private final int maxRows;
        private byte[] pixels;
        private byte[] labels;
        private int count;

        Rows(boolean labeled, int maxRows) {
            this.labeled = labeled;
            this.maxRows = maxRows;
            int first = Math.min(1024, maxRows);
            pixels = new byte[first * PIXELS];
            labels = new byte[first];
        }

        void add(Path file, long line, CSVRecord record, List<String> header) {
            int columns = header.size();
            if (record.size() < columns) {
                throw new InputException(file + ":" + line + ":" + (record.size() + 1) + ": row ends after "
                        + record.size() + " values, expected " + columns + " (" + header.get(record.size())
                        + " is missing)");
            }
            if (record.size() > columns) {
                throw new InputException(file + ":" + line + ":" + (columns + 1) + ": row has " + record.size()
                        + " values, expected " + columns);
            }
            if (count == labels.length) {
                if (count == maxRows) {
                    throw new InputException(String.format(java.util.Locale.ROOT, "%s:%d: more than %,d rows: the images "
                            + "of one CSV are one array of at most %,d rows of %d pixels; split the file", file, line,
                            maxRows, maxRows, PIXELS));
                }
                int grown = grow(count, maxRows);
                labels = Arrays.copyOf(labels, grown);
                pixels = Arrays.copyOf(pixels, grown * PIXELS);
            }
            int first = 0;
            if (labeled) {
                labels[count] = (byte) value(file, line, 1, record.get(0), LABEL, 9);
                first = 1;
            }
            int offset = count * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                pixels[offset + p] = (byte) value(file, line, first + p + 1, record.get(first + p), header.get(first + p),
                        255);
            }
            count++;
        }

        LabeledImages toImages() {
            return LabeledImages.wrap(Arrays.copyOf(pixels, count * PIXELS), labeled ? Arrays.copyOf(labels, count)
                    : null, IdxReader.ROWS, IdxReader.COLS, List.of());
        }
    }

    /** Parses an integer 0..max, with a fast path for the plain decimal digits of real files. */
    private static int value(Path file, long line, int column, String text, String name, int max) {
        int v = 0;
        int n = text.length();
        if (n > 0 && n <= 3) {
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    v = -1;
                    break;
                }
                v = 10 * v + (c - '0');
            }
            if (v >= 0 && v <= max) {
                return v;
            }
        }
        String place = file + ":" + line + ":" + column + ": " + name;
        if (text.isEmpty()) {
            throw new InputException(place + " is empty (a missing value)");
        }
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InputException(place + " is '" + abbreviate(text) + "', not an integer 0.." + max);
        }
        if (parsed >= 0 && parsed <= max) {
            return (int) parsed; // "0012", "+7": odd, but unambiguous
        }
        throw new InputException(place + " is " + parsed + ", expected an integer 0.." + max);
    }

    /** The file's text as quoted in a message: one line (control characters as '?'), at most 20 characters. */
    private static String abbreviate(String s) {
        return MessageText.oneLine(s, 20);
    }
}
