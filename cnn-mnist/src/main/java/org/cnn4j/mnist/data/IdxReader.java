package org.cnn4j.mnist.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.cnn4j.mnist.InputException;

/**
 * Reads the MNIST IDX files ({@code train-images-idx3-ubyte} and friends), raw or gzipped; gzip
 * is recognised by its magic bytes, not by the file name.
 *
 * <p>Everything the header claims is checked against the file before memory is committed to it:
 * the magic number, the dimensions and, for a raw file, that its length is exactly what the
 * header announces. A gzip stream's length is only known by reading it, so its buffer grows with
 * the data actually decompressed; a header that promises more than the stream holds fails at the
 * truncation. A lying header therefore costs an {@link InputException}, never an
 * {@link OutOfMemoryError}.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Image height of every data set this project reads. */
    public static final int ROWS = 28;
    /** Image width of every data set this project reads. */
    public static final int COLS = 28;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    // The largest array the JVM reliably allocates.
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /**
     * Reads an IDX image file (magic 0x00000803, dimensions N x 28 x 28) as an unlabeled set.
     *
     * @throws InputException naming the file and the place of the first problem
     */
    public static LabeledImages readImages(Path file) {
        try (InputStream in = open(file)) {
            boolean gzip = in instanceof GZIPInputStream; // else the raw file: its length is known
            int[] header = readHeader(file, in, IMAGES_HEADER, IMAGES_MAGIC, "images");
            long count = Integer.toUnsignedLong(header[1]);
            long rows = Integer.toUnsignedLong(header[2]);
            long cols = Integer.toUnsignedLong(header[3]);
            if (rows != ROWS || cols != COLS) {
                throw new InputException(file + ": images are " + rows + "x" + cols
                        + " (header bytes 8..15), expected " + ROWS + "x" + COLS);
            }
            long body = count * ROWS * COLS;
            byte[] pixels = readBody(file, in, gzip, IMAGES_HEADER, body, count + " images of " + ROWS + "x" + COLS);
            return LabeledImages.wrap(pixels, null, ROWS, COLS, List.of());
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /**
     * Reads an IDX label file (magic 0x00000801, dimension N) of labels 0..9.
     *
     * @return the labels, one byte each
     * @throws InputException naming the file and the place of the first problem
     */
    public static byte[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            boolean gzip = in instanceof GZIPInputStream;
            int[] header = readHeader(file, in, LABELS_HEADER, LABELS_MAGIC, "labels");
            long count = Integer.toUnsignedLong(header[1]);
            byte[] labels = readBody(file, in, gzip, LABELS_HEADER, count, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= LabeledImages.CLASSES) {
                    throw new InputException(file + ": label " + (labels[i] & 0xff) + " at index " + i
                            + " (byte " + (LABELS_HEADER + (long) i) + ") is not 0..9");
                }
            }
            return labels;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static InputStream open(Path file) {
        InputFiles.requireRegularFile(file, "an IDX file");
        try {
            return Gzip.decompressIfGzip(Files.newInputStream(file));
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /** Reads and checks the magic number; returns the magic followed by the dimensions. */
    private static int[] readHeader(Path file, InputStream in, int headerBytes, int magic, String what)
            throws IOException {
        byte[] raw = in.readNBytes(headerBytes);
        if (raw.length < 4) {
            throw new InputException(file + ": only " + raw.length + " bytes, too short for an IDX header");
        }
        int[] words = new int[headerBytes / 4];
        for (int w = 0; w < raw.length / 4; w++) {
            words[w] = ((raw[4 * w] & 0xff) << 24) | ((raw[4 * w + 1] & 0xff) << 16)
                    | ((raw[4 * w + 2] & 0xff) << 8) | (raw[4 * w + 3] & 0xff);
        }
        if (words[0] != magic) {
            throw new InputException(String.format("%s: bad magic number 0x%08X at byte 0, expected 0x%08X (IDX %s: "
                    + "unsigned bytes, %d dimension%s)%s", file, words[0], magic, what, magic & 0xff,
                    (magic & 0xff) == 1 ? "" : "s", hint(words[0], raw)));
        }
        if (raw.length < headerBytes) {
            throw new InputException(file + ": truncated header: " + raw.length + " bytes, expected "
                    + headerBytes + " for IDX " + what);
        }
        return words;
    }

    private static String hint(int found, byte[] raw) {
        if (found == IMAGES_MAGIC) {
            return " - this is an IDX image file";
        }
        if (found == LABELS_MAGIC) {
            return " - this is an IDX label file";
        }
        if (raw.length >= 4 && raw[0] == 0 && raw[1] == 0 && raw[2] == 0x08) {
            return " - found " + (raw[3] & 0xff) + " dimensions";
        }
        return "";
    }

    /**
     * Reads exactly {@code bodyBytes} after the header and checks that nothing follows; the
     * header's claim has not been trusted with memory before it is checked against the data.
     */
    private static byte[] readBody(Path file, InputStream in, boolean gzip, int headerBytes, long bodyBytes,
            String claim) throws IOException {
        if (!gzip) {
            long actual = Files.size(file) - headerBytes;
            if (actual < bodyBytes) {
                throw new InputException(file + ": truncated: the header claims " + claim + " (" + bodyBytes
                        + " bytes after the " + headerBytes + "-byte header) but the file has " + actual);
            }
            if (actual > bodyBytes) {
                throw new InputException(file + ": " + (actual - bodyBytes) + " unexpected bytes after byte "
                        + (headerBytes + bodyBytes) + ": the header claims only " + claim);
            }
        }
        if (bodyBytes > MAX_ARRAY) {
            throw new InputException(file + ": the header claims " + claim + " (" + bodyBytes
                    + " bytes), more than this reader can hold");
        }
        // a gzip buffer may double while it grows; the pipeline then copies the images once more
        InputFiles.requireHeap(file, 2 * bodyBytes, "the header claims " + claim + ", which");
        byte[] body = gzip ? readGrowing(file, in, (int) bodyBytes, headerBytes, claim)
                : in.readNBytes((int) bodyBytes);
        if (body.length < bodyBytes) {
            // The raw file shrank between the size check and the read.
            throw new InputException(file + ": truncated while reading, at byte " + (headerBytes + body.length));
        }
        if (in.read() != -1) {
            throw new InputException(file + ": unexpected data after byte " + (headerBytes + bodyBytes)
                    + " of the uncompressed content: the header claims only " + claim);
        }
        return body;
    }

    /** Reads {@code n} bytes into a buffer that never grows beyond twice what has been read. */
    private static byte[] readGrowing(Path file, InputStream in, int n, int headerBytes, String claim)
            throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r;
            try {
                r = in.read(buf, filled, buf.length - filled);
            } catch (EOFException e) {
                throw truncated(file, headerBytes, filled, claim);
            }
            if (r < 0) {
                throw truncated(file, headerBytes, filled, claim);
            }
            filled += r;
        }
        return buf;
    }

    private static InputException truncated(Path file, int headerBytes, long got, String claim) {
        return new InputException(file + ": truncated gzip data: it ends after byte " + (headerBytes + got)
                + " of the uncompressed content but the header claims " + claim);
    }

    private static InputException ioFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(file + ": no such file", e);
        }
        if (e instanceof EOFException) {
            // GZIPInputStream's way of saying the compressed stream stops in the middle.
            return new InputException(file + ": truncated gzip data", e);
        }
        if (e instanceof ZipException) {
            return new InputException(file + ": corrupt gzip data: " + OutputFiles.describe(e), e);
        }
        return new InputException(file + ": cannot read: " + OutputFiles.describe(e), e);
    }
}
