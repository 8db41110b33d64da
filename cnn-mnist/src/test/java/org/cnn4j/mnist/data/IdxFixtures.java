package org.cnn4j.mnist.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Synthetic IDX content for tests: small, deterministic, and easy to corrupt on purpose. */
final class IdxFixtures {
    static final int PIXELS = 28 * 28;

    private IdxFixtures() {
    }

    /** An IDX header: magic followed by the dimensions, big-endian. */
    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** {@code n} images of pseudo-random pixels covering 0..255. */
    static byte[] pixels(int n, long seed) {
        byte[] p = new byte[n * PIXELS];
        new Random(seed).nextBytes(p);
        return p;
    }

    /** {@code n} labels cycling through 0..9 from {@code first}. */
    static byte[] labels(int n, int first) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) ((first + i) % 10);
        }
        return l;
    }

    static byte[] imagesFile(byte[] pixels) {
        return concat(header(IdxReader.IMAGES_MAGIC, pixels.length / PIXELS, 28, 28), pixels);
    }

    static byte[] labelsFile(byte[] labels) {
        return concat(header(IdxReader.LABELS_MAGIC, labels.length), labels);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return file;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
