package org.cnn4j.mnist.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cnn4j.mnist.InputException;

/**
 * Decodes PNG, JPEG, BMP or GIF files whatever their name says: the format is detected from the
 * content, and the pixel count is checked from the header before any pixel is decoded, so a small
 * file claiming a huge image costs nothing.
 */
final class BoundedImageReader {
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    private BoundedImageReader() {
    }

    /**
     * Reads the first image of {@code file}. Images over {@code maxPixels} are rejected; images over
     * {@code decodePixels} are decoded with every n-th row and column only, which bounds memory.
     */
    static BufferedImage read(Path file, long maxPixels, long decodePixels) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new InputException(file + ": cannot open the file");
            }
            return read(in, file.toString(), maxPixels, decodePixels);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + oneLine(e), e);
        }
    }

    /** Like {@link #read(Path, long, long)}, for an encoded image in memory that {@code source} names. */
    static BufferedImage read(byte[] encoded, String source, long maxPixels, long decodePixels) {
        // ImageIO's stream over a byte array never touches the disk cache for a reader-only use
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            return read(in, source, maxPixels, decodePixels);
        } catch (IOException e) {
            throw new InputException(source + ": cannot read: " + oneLine(e), e);
        }
    }

    private static BufferedImage read(ImageInputStream in, String source, long maxPixels, long decodePixels) {
        ImageReader reader = readerFor(source, in);
        try {
            return decode(source, reader, in, maxPixels, decodePixels);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(String file, ImageInputStream in) {
        String other = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
            ImageReader r = it.next();
            String format = formatName(r);
            if (FORMATS.contains(format)) {
                return r;
            }
            other = other == null ? format : other;
            r.dispose();
        }
        if (other != null) {
            throw new InputException(file + ": unsupported image format " + other.toUpperCase(Locale.ROOT)
                    + " (expected PNG, JPEG, BMP or GIF)");
        }
        throw new InputException(file + ": not an image (expected PNG, JPEG, BMP or GIF)");
    }

    private static BufferedImage decode(String file, ImageReader reader, ImageInputStream in, long maxPixels,
            long decodePixels) {
        String format = formatName(reader).toUpperCase(Locale.ROOT);
        try {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            long pixels = (long) w * h;
            if (w <= 0 || h <= 0) {
                throw new InputException(file + ": " + format + " image has no pixels (" + w + "x" + h + ")");
            }
            if (pixels > maxPixels) {
                throw new InputException(String.format(Locale.ROOT,
                        "%s: %s image is %dx%d pixels (%.1f megapixels), over the limit of %.1f megapixels",
                        file, format, w, h, pixels / 1e6, maxPixels / 1e6));
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(pixels, decodePixels);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            return reader.read(0, param);
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The PNG reader wraps an OutOfMemoryError in its IIOException: the heap ran out, the file may be fine
            int depth = 0;
            for (Throwable t = e; t != null && depth < 8; t = t.getCause(), depth++) {
                if (t instanceof OutOfMemoryError) {
                    throw new OutOfMemoryError(file + ": out of memory while decoding the " + format + " image");
                }
            }
            // Decoders throw unchecked exceptions on some malformed files; all of them mean a bad file.
            throw new InputException(file + ": cannot decode " + format + " image: " + oneLine(e), e);
        }
    }

    /** The smallest n such that keeping every n-th row and column leaves at most {@code budget} pixels. */
    static int subsampling(long pixels, long budget) {
        int n = 1;
        while (pixels / ((long) n * n) > budget) {
            n++;
        }
        return n;
    }

    private static String formatName(ImageReader r) {
        try {
            String name = r.getFormatName().toLowerCase(Locale.ROOT);
            // The JDK's TIFF reader calls itself "tif"; messages should use the usual name.
            return name.equals("tif") ? "tiff" : name;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The failure and its causes on one line: the JDK's PNG reader wraps the real problem in
     * "Caught exception during read:" with nothing after it, so the causes are what says anything.
     */
    static String oneLine(Throwable e) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            String m = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").trim().replaceAll(":$", "");
            String part = t == e || t instanceof IOException ? m : t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
            if (part.isEmpty() || b.indexOf(part) >= 0 || (t != e && b.indexOf(m) >= 0 && !m.isEmpty())) {
                continue;
            }
            b.append(b.length() == 0 ? "" : ": ").append(part);
        }
        String line = b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
