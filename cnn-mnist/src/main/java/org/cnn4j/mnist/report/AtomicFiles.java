package org.cnn4j.mnist.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cnn4j.mnist.InputException;

/**
 * Writes report files so that a reader never sees a half-written file: the content goes to a
 * temporary file in the same directory, is forced to disk, and the file is then renamed over the
 * target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {
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

    /** Writes {@code text} as UTF-8 at {@code target}, creating the parent directories. */
    public static void writeString(String text, Path target) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** What to put in the temporary file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes through a temporary sibling and renames it. Every failure, including an unwritable
     * or missing output directory, becomes an {@link InputException} naming the target.
     */
    static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = newTempSibling(abs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true); // on disk before the rename, so a power cut cannot leave an empty report
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Same directory, so this only happens on exotic file systems; still avoid a partial file.
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new InputException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting.
                }
            }
        }
    }

    /**
     * Creates an empty hidden sibling of {@code target}. Not {@code Files.createTempFile}: that makes
     * the file owner-only (0600), and the rename would carry those permissions to the report.
     */
    private static Path newTempSibling(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        String msg = e.getMessage();
        return msg == null ? kind : kind + " " + msg.replace('\n', ' ');
    }
}
