package org.cnn4j.mnist.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.report.ReportFiles;

/**
 * Turns a photo or drawing of one digit into the 28x28 input the model was trained on, following
 * the MNIST recipe: bright ink on black, the ink's bounding box scaled so its longer side is 20
 * pixels (aspect ratio kept), then placed so the centre of mass sits at pixel (14, 14) (row,
 * column index, which is where MNIST digits have it on average).
 *
 * <p>Steps: bounded decode of PNG/JPEG/BMP/GIF by content; alpha composited onto white; luma; the
 * background level is the median of the border pixels, and a light border means dark ink on light
 * paper, so the image is inverted; background and peak ink are stretched to 0 and 1; the ink's
 * bounding box is found by a threshold; one area-averaging pass scales and centres.
 */
public final class DigitImagePreprocessor {
    /** Side of the output field. */
    public static final int SIZE = 28;
    /** Longer side of the ink's bounding box in the output, as in MNIST. */
    public static final int BOX = 20;
    /** Default upper bound on an input's pixel count. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    // Larger inputs are decoded with row/column skipping: a 20 px digit needs nowhere near this.
    private static final long DECODE_PIXELS = 4_000_000L;
    private static final double CENTER = 14.0;
    // Background-to-ink contrast below this means there is no digit to find.
    private static final double MIN_CONTRAST = 0.15;
    // Normalised ink below this is paper texture or JPEG noise and is cleared.
    private static final double NOISE = 0.1;
    // Normalised ink above this counts for the bounding box.
    private static final double BOX_THRESHOLD = 0.3;

    private final long maxPixels;

    /** A preprocessor that accepts images up to {@link #DEFAULT_MAX_PIXELS}. */
    public DigitImagePreprocessor() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A preprocessor that rejects images with more than {@code maxPixels} pixels. */
    public DigitImagePreprocessor(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /**
     * Reads and preprocesses {@code file}: 784 floats in [0, 1], row-major, ink bright. Every
     * problem with the file (missing, not an image, too large, corrupt, blank) is an
     * {@link InputException} naming it.
     */
    public float[] preprocess(Path file) {
        return preprocess(BoundedImageReader.read(file, maxPixels, DECODE_PIXELS), file.toString());
    }

    /**
     * Decodes and preprocesses an encoded image held in memory (the bytes of a PNG, JPEG, BMP or GIF
     * file, as Spark's {@code binaryFile} source reads them), exactly as {@link #preprocess(Path)}
     * does a file; {@code source} names it in error messages, which are {@link InputException}s.
     */
    public float[] preprocess(byte[] encoded, String source) {
        Objects.requireNonNull(encoded, "encoded");
        return preprocess(BoundedImageReader.read(encoded, source, maxPixels, DECODE_PIXELS), source);
    }

    /** Preprocesses an image already in memory; {@code source} names it in error messages. */
    public float[] preprocess(BufferedImage image, String source) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        double[] ink = Luma.of(image);
        double background = median(border(ink, w, h));
        if (background > 0.5) {
            // Light paper: ink is dark, so invert to get MNIST's bright ink on black.
            for (int i = 0; i < ink.length; i++) {
                ink[i] = 1 - ink[i];
            }
            background = 1 - background;
        }
        double peak = Arrays.stream(ink).max().orElse(0);
        if (peak - background < MIN_CONTRAST) {
            throw new InputException(source + ": no digit found (the image is almost uniform)");
        }
        for (int i = 0; i < ink.length; i++) {
            double v = (ink[i] - background) / (peak - background);
            ink[i] = Math.clamp((v - NOISE) / (1 - NOISE), 0, 1);
        }
        int[] box = inkBox(ink, w, h);
        double scale = (double) BOX / Math.max(box[2] - box[0], box[3] - box[1]);
        double[] com = centerOfMass(ink, w, h);
        // Index coordinate c is the continuous point c + 0.5; put the centre of mass on CENTER.
        double offX = CENTER + 0.5 - scale * (com[0] + 0.5);
        double offY = CENTER + 0.5 - scale * (com[1] + 0.5);
        double[] field = CenteringResampler.render(ink, w, h, scale, offX, offY, SIZE);
        // Sampling moves the centre of mass slightly; two corrections bring it within ~0.01 px.
        for (int pass = 0; pass < 2; pass++) {
            double[] c = centerOfMass(field, SIZE, SIZE);
            offX += CENTER - c[0];
            offY += CENTER - c[1];
            field = CenteringResampler.render(ink, w, h, scale, offX, offY, SIZE);
        }
        double max = Arrays.stream(field).max().orElse(0);
        if (!(max > 0)) {
            throw new InputException(source + ": no digit found (the ink vanished when scaled)");
        }
        float[] out = new float[SIZE * SIZE];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.clamp(field[i] / max, 0, 1);
        }
        return out;
    }

    /**
     * Writes a preprocessed 28x28 image as an 8-bit grey PNG, as the model sees it (ink white on
     * black), each pixel enlarged to a {@code scale x scale} block so it can be inspected.
     */
    public static void writePng(float[] pixels, Path file, int scale) {
        if (pixels.length != SIZE * SIZE || scale < 1) {
            throw new IllegalArgumentException("need " + SIZE * SIZE + " pixels and scale >= 1, got "
                    + pixels.length + " and " + scale);
        }
        BufferedImage img = new BufferedImage(SIZE * scale, SIZE * scale, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < SIZE * scale; y++) {
            for (int x = 0; x < SIZE * scale; x++) {
                float v = pixels[(y / scale) * SIZE + x / scale];
                r.setSample(x, y, 0, Math.round(255 * Math.clamp(v, 0f, 1f)));
            }
        }
        ReportFiles.writePng(img, file);
    }

    /** {@link #writePng(float[], Path, int)} at the true size, 28x28. */
    public static void writePng(float[] pixels, Path file) {
        writePng(pixels, file, 1);
    }

    private static double[] border(double[] v, int w, int h) {
        double[] b = new double[h == 1 || w == 1 ? w * h : 2 * w + 2 * (h - 2)];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    b[k++] = v[y * w + x];
                }
            }
        }
        return b;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** {x0, y0, x1, y1} (exclusive ends) of pixels above the threshold; the peak is 1, so never empty. */
    private static int[] inkBox(double[] v, int w, int h) {
        int x0 = w;
        int y0 = h;
        int x1 = 0;
        int y1 = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (v[y * w + x] > BOX_THRESHOLD) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x + 1);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    /** {column, row} centre of mass in index coordinates (pixel i centred at i). */
    static double[] centerOfMass(double[] v, int w, int h) {
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double m = v[y * w + x];
                sum += m;
                sx += m * x;
                sy += m * y;
            }
        }
        return sum == 0 ? new double[] {(w - 1) / 2.0, (h - 1) / 2.0} : new double[] {sx / sum, sy / sum};
    }
}
