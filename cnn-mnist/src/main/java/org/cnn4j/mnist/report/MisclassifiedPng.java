package org.cnn4j.mnist.report;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code misclassified.png}: the worst validation errors, each captioned "true X" / "pred Y (p)".
 * "Worst" is the kernel's {@code display_errors} order: largest {@code p(pred) - p(true)} first.
 */
public final class MisclassifiedPng {
    /** The kernel shows its top 6 errors in a 2x3 grid. */
    public static final int KERNEL_COUNT = 6;
    private static final int PIXEL = 5;
    private static final int TEXT = 2;
    private static final int MARGIN = 16;

    private MisclassifiedPng() {
    }

    /**
     * Indices of up to {@code max} misclassified samples, worst first. {@code probs} holds
     * {@code numClasses} class probabilities per sample, row-major; the prediction is the arg-max
     * (first on ties, like NumPy).
     */
    public static int[] worstErrors(int[] trueLabels, float[] probs, int numClasses, int max) {
        if (probs.length != (long) trueLabels.length * numClasses) {
            throw new IllegalArgumentException(probs.length + " probabilities for " + trueLabels.length
                    + " samples of " + numClasses + " classes");
        }
        List<double[]> errors = new ArrayList<>();
        for (int i = 0; i < trueLabels.length; i++) {
            int pred = argmax(probs, i, numClasses);
            if (pred != trueLabels[i]) {
                int base = i * numClasses;
                errors.add(new double[] {i, probs[base + pred] - probs[base + trueLabels[i]]});
            }
        }
        // Stable sort, so equal margins keep sample order and the output is deterministic.
        errors.sort(Comparator.comparingDouble((double[] e) -> -e[1]));
        int n = Math.min(max, errors.size());
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = (int) errors.get(k)[0];
        }
        return out;
    }

    /** The predicted class of sample {@code i}. */
    public static int argmax(float[] probs, int i, int numClasses) {
        int base = i * numClasses;
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (probs[base + c] > probs[base + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Finds the {@code max} worst errors of {@code images} (whose labels are the true classes) and
     * writes them. {@code classNames} may be null.
     */
    public static void write(Path file, ImageSet images, float[] probs, int numClasses, String[] classNames,
            int max) {
        if (!images.hasLabels()) {
            throw new IllegalArgumentException("misclassified.png needs the true labels");
        }
        int[] labels = new int[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        int[] worst = worstErrors(labels, probs, numClasses, max);
        ReportFiles.writePng(render(images, worst, probs, numClasses, classNames), file);
    }

    /**
     * The same grid as {@link #write}, as PNG bytes (for a page that embeds it).
     *
     * @param images the images, labelled with their true classes
     * @param probs the predicted probabilities, {@code numClasses} per image
     * @param numClasses classes
     * @param classNames names, or null
     * @param max the most errors shown
     * @return the PNG
     */
    public static byte[] encode(ImageSet images, float[] probs, int numClasses, String[] classNames, int max) {
        int[] labels = new int[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        return ReportFiles.pngBytes(render(images, worstErrors(labels, probs, numClasses, max), probs, numClasses, classNames));
    }

    /** The grid of the given error indices as an image. */
    static BufferedImage render(ImageSet images, int[] worst, float[] probs, int numClasses, String[] classNames) {
        int n = worst.length;
        int cols = n <= 3 ? Math.max(n, 1) : n <= KERNEL_COUNT ? 3 : 4;
        int rows = Math.max(1, (n + cols - 1) / cols);
        int tileW = images.width() * PIXEL;
        int tileH = images.height() * PIXEL;
        String[][] captions = new String[n][];
        int cellW = tileW;
        for (int k = 0; k < n; k++) {
            int i = worst[k];
            int pred = argmax(probs, i, numClasses);
            captions[k] = new String[] {
                "true " + Canvas.className(images.label(i), classNames),
                "pred " + Canvas.className(pred, classNames)
                        + String.format(Locale.ROOT, " (%.3f)", probs[i * numClasses + pred])};
            for (String c : captions[k]) {
                cellW = Math.max(cellW, BitmapFont.width(c, TEXT));
            }
        }
        cellW += 24;
        int captionH = 2 * BitmapFont.lineHeight(TEXT) + 6;
        int cellH = tileH + 10 + captionH + 12;
        int titleH = BitmapFont.lineHeight(TEXT) + 12;
        int width = Math.max(2 * MARGIN + cols * cellW, 2 * MARGIN + BitmapFont.width("No misclassified samples", TEXT));
        int height = 2 * MARGIN + titleH + rows * cellH;

        BufferedImage img = Canvas.blank(width, height);
        Graphics2D g = Canvas.graphics(img);
        g.setColor(Canvas.TEXT);
        String title = n == 0 ? "No misclassified samples" : "Top " + n + " errors (largest p(pred) - p(true))";
        BitmapFont.drawCentered(g, title, width / 2, MARGIN, TEXT);
        for (int k = 0; k < n; k++) {
            int x = MARGIN + (k % cols) * cellW;
            int y = MARGIN + titleH + (k / cols) * cellH;
            Canvas.drawDigit(g, images, worst[k], x + (cellW - tileW) / 2, y, PIXEL);
            int ty = y + tileH + 10;
            g.setColor(Canvas.TEXT);
            BitmapFont.drawCentered(g, captions[k][0], x + cellW / 2, ty, TEXT);
            g.setColor(Canvas.ERROR);
            BitmapFont.drawCentered(g, captions[k][1], x + cellW / 2, ty + BitmapFont.lineHeight(TEXT) + 2, TEXT);
        }
        g.dispose();
        return img;
    }
}
