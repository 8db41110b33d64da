package org.cnn4j.mnist.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cnn4j.mnist.InputException;

/**
 * Writes the report files (PNG images, text) through cnn-core's {@link org.cnn4j.io.AtomicFiles}, so
 * that a reader never sees a half-written file, with failures as one-line {@link InputException}s.
 * Missing folders are created, as {@link org.cnn4j.mnist.data.OutputFiles#write the pipeline's output
 * writer} creates them.
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /** Writes {@code image} as a PNG at {@code target}, creating the parent directories. */
    public static void writePng(BufferedImage image, Path target) {
        write(target, out -> encodePng(image, out));
    }

    /**
     * Encodes {@code image} as PNG. A memory cache is used explicitly because ImageIO's default,
     * for streams, is a scratch file in {@code java.io.tmpdir}.
     */
    static void encodePng(BufferedImage image, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }

    /** {@code image} as PNG bytes in memory. */
    static byte[] pngBytes(BufferedImage image) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            encodePng(image, b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Writes {@code text} as UTF-8 at {@code target}, creating the parent directories. */
    public static void writeString(String text, Path target) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes through cnn-core's atomic writer. Every failure, including an unwritable output
     * directory, becomes an {@link InputException} naming the target, worded as
     * {@link org.cnn4j.mnist.data.OutputFiles#cannotWrite(Path, IOException) the data files' writer} words it.
     */
    static void write(Path target, org.cnn4j.io.AtomicFiles.Writer content) {
        try {
            org.cnn4j.io.AtomicFiles.write(target, content);
        } catch (IOException e) {
            throw org.cnn4j.mnist.data.OutputFiles.cannotWrite(target, e);
        }
    }
}
