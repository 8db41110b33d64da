package org.cnn4j.mnist.report;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.cnn4j.init.Rng;

/** {@code preview.png}: a 5x5 grid of random images, each under its label (and class name). */
public final class PreviewPng {
    /** Number of images shown. */
    public static final int COUNT = 25;
    private static final int COLUMNS = 5;
    private static final int PIXEL = 4;
    private static final int MARGIN = 16;
    private static final int TITLE_SCALE = 2;
    private static final int LABEL_SCALE = 2;

    private PreviewPng() {
    }

    /**
     * Picks up to {@value #COUNT} distinct images with {@code rng} and writes the grid.
     * {@code classNames} may be null (labels are shown as numbers).
     */
    public static void write(Path file, ImageSet images, String[] classNames, Rng rng) {
        int[] picked = pick(images.size(), COUNT, rng);
        ReportFiles.writePng(render(images, picked, classNames,
                picked.length + " random images of " + images.size()), file);
    }

    /**
     * The same grid as {@link #write(Path, ImageSet, String[], Rng)}, as PNG bytes.
     *
     * @param images the images
     * @param classNames names, or null
     * @param rng picks the images
     * @return the PNG
     */
    public static byte[] encode(ImageSet images, String[] classNames, Rng rng) {
        int[] picked = pick(images.size(), COUNT, rng);
        return ReportFiles.pngBytes(render(images, picked, classNames, picked.length + " random images of " + images.size()));
    }

    /** Writes the grid for the given image indices (up to {@value #COUNT} are shown) under {@code title}. */
    public static void write(Path file, ImageSet images, int[] indices, String[] classNames, String title) {
        ReportFiles.writePng(render(images, indices, classNames, title), file);
    }

    /** Up to {@code k} distinct indices in {@code [0, n)}, in random order (partial Fisher-Yates). */
    static int[] pick(int n, int k, Rng rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int m = Math.min(k, n);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, m);
    }

    /** The grid as an image. */
    static BufferedImage render(ImageSet images, int[] indices, String[] classNames, String title) {
        int shown = Math.min(indices.length, COUNT);
        int rows = Math.max(1, (shown + COLUMNS - 1) / COLUMNS);
        int tileW = images.width() * PIXEL;
        int tileH = images.height() * PIXEL;
        // Cells are wide enough for the longest label at full size, so names need not shrink.
        int cellW = tileW;
        for (int k = 0; k < shown; k++) {
            cellW = Math.max(cellW, BitmapFont.width(Canvas.className(images.label(indices[k]), classNames), LABEL_SCALE));
        }
        cellW += 24;
        int labelH = BitmapFont.lineHeight(LABEL_SCALE) + 4;
        int cellH = labelH + tileH + 12;
        int titleH = BitmapFont.lineHeight(TITLE_SCALE) + 10;
        int width = 2 * MARGIN + COLUMNS * cellW;
        int height = 2 * MARGIN + titleH + rows * cellH;

        BufferedImage img = Canvas.blank(width, height);
        Graphics2D g = Canvas.graphics(img);
        g.setColor(Canvas.TEXT);
        BitmapFont.drawCentered(g, title, width / 2, MARGIN, TITLE_SCALE);
        for (int k = 0; k < shown; k++) {
            int i = indices[k];
            int x = MARGIN + (k % COLUMNS) * cellW;
            int y = MARGIN + titleH + (k / COLUMNS) * cellH;
            g.setColor(Canvas.TEXT);
            BitmapFont.drawCentered(g, Canvas.className(images.label(i), classNames), x + cellW / 2, y, LABEL_SCALE);
            Canvas.drawDigit(g, images, i, x + (cellW - tileW) / 2, y + labelH, PIXEL);
        }
        g.dispose();
        return img;
    }
}
