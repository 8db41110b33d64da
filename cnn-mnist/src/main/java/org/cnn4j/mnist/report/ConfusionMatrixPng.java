package org.cnn4j.mnist.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code confusion_matrix.png}: a heat map of true (rows) against predicted (columns) classes with
 * the count in every cell, class names on both axes and a colour bar, like the kernel's
 * {@code plot_confusion_matrix} with matplotlib's "Blues".
 */
public final class ConfusionMatrixPng {
    private static final int MARGIN = 20;
    private static final int TEXT = 2;
    private static final int BAR_W = 18;
    // matplotlib "Blues" at 0, 1/8, ..., 1.
    private static final int[] BLUES = {
        0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B};

    private ConfusionMatrixPng() {
    }

    /** Writes the heat map; {@code classNames} may be null (class numbers are used). */
    public static void write(Path file, ConfusionMatrix matrix, String[] classNames) {
        ReportFiles.writePng(render(matrix, classNames), file);
    }

    /** Where things go; computed once so tests can find a cell. */
    record Layout(int cell, int gridX, int gridY, int width, int height, boolean verticalColumnLabels,
            int columnLabelH) {
        /** Centre pixel of cell (true {@code t}, predicted {@code p}). */
        int[] cellCenter(int t, int p) {
            return new int[] {gridX + p * cell + cell / 2, gridY + t * cell + cell / 2};
        }
    }

    static Layout layout(int k, String[] classNames) {
        int cell = k <= 12 ? 54 : Math.max(20, 640 / k);
        String[] names = ConfusionMatrix.names(classNames, k);
        int nameW = 0;
        for (String n : names) {
            nameW = Math.max(nameW, BitmapFont.width(n, TEXT));
        }
        boolean vertical = nameW > cell - 6;
        int columnLabelH = vertical ? nameW : BitmapFont.capHeight(TEXT);
        int titleH = BitmapFont.lineHeight(TEXT) + 14;
        int axisTitleW = BitmapFont.lineHeight(TEXT) + 8;
        int gridX = MARGIN + axisTitleW + nameW + 10;
        int gridY = MARGIN + titleH;
        int barLabelW = BitmapFont.width("000000", TEXT);
        int width = gridX + k * cell + 24 + BAR_W + 8 + barLabelW + MARGIN;
        int height = gridY + k * cell + 10 + columnLabelH + 12 + BitmapFont.lineHeight(TEXT) + MARGIN;
        return new Layout(cell, gridX, gridY, width, height, vertical, columnLabelH);
    }

    /** The heat map as an image. */
    static BufferedImage render(ConfusionMatrix matrix, String[] classNames) {
        int k = matrix.numClasses();
        String[] names = ConfusionMatrix.names(classNames, k);
        Layout l = layout(k, classNames);
        int max = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                max = Math.max(max, matrix.count(t, p));
            }
        }
        BufferedImage img = Canvas.blank(l.width(), l.height());
        Graphics2D g = Canvas.graphics(img);
        int gridW = k * l.cell();

        g.setColor(Canvas.TEXT);
        double acc = matrix.accuracy();
        String title = "Confusion matrix, " + matrix.total() + " samples"
                + (Double.isNaN(acc) ? "" : String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * acc));
        BitmapFont.drawCentered(g, title, l.width() / 2, MARGIN, TEXT);

        int countScale = Canvas.fitScale(String.valueOf(max), l.cell() - 6, TEXT);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                int v = matrix.count(t, p);
                double frac = max == 0 ? 0 : (double) v / max;
                int x = l.gridX() + p * l.cell();
                int y = l.gridY() + t * l.cell();
                g.setColor(blues(frac));
                g.fillRect(x, y, l.cell(), l.cell());
                g.setColor(v == 0 ? new Color(0xA0A0A0) : frac > 0.5 ? Color.WHITE : Canvas.TEXT);
                String s = String.valueOf(v);
                BitmapFont.drawCentered(g, s, x + l.cell() / 2, y + (l.cell() - BitmapFont.capHeight(countScale)) / 2,
                        countScale);
            }
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(l.gridX(), l.gridY(), gridW, gridW);

        // Row names, right-aligned against the grid.
        g.setColor(Canvas.TEXT);
        for (int t = 0; t < k; t++) {
            int cy = l.gridY() + t * l.cell() + (l.cell() - BitmapFont.capHeight(TEXT)) / 2;
            BitmapFont.draw(g, names[t], l.gridX() - 8 - BitmapFont.width(names[t], TEXT), cy, TEXT);
        }
        int labelsTop = l.gridY() + gridW + 10;
        for (int p = 0; p < k; p++) {
            int cx = l.gridX() + p * l.cell() + l.cell() / 2;
            if (l.verticalColumnLabels()) {
                // Reads bottom to top and ends just under the grid, like rotated matplotlib labels.
                BitmapFont.drawVertical(g, names[p], cx - BitmapFont.capHeight(TEXT) / 2,
                        labelsTop + BitmapFont.width(names[p], TEXT), TEXT);
            } else {
                BitmapFont.drawCentered(g, names[p], cx, labelsTop, TEXT);
            }
        }
        BitmapFont.drawCentered(g, "Predicted label", l.gridX() + gridW / 2, labelsTop + l.columnLabelH() + 12, TEXT);
        String trueLabel = "True label";
        BitmapFont.drawVertical(g, trueLabel, MARGIN, l.gridY() + gridW / 2 + BitmapFont.width(trueLabel, TEXT) / 2,
                TEXT);

        colorBar(g, l.gridX() + gridW + 24, l.gridY(), gridW, max);
        g.dispose();
        return img;
    }

    private static void colorBar(Graphics2D g, int x, int y, int h, int max) {
        for (int i = 0; i < h; i++) {
            g.setColor(blues(1 - (double) i / (h - 1)));
            g.fillRect(x, y + i, BAR_W, 1);
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(x, y, BAR_W, h);
        if (max == 0) {
            return;
        }
        Ticks ticks = Ticks.integers(0, max, 5);
        for (int i = 0; i < ticks.count; i++) {
            double v = ticks.value(i);
            int py = y + h - (int) Math.round(v / max * h);
            g.setColor(Canvas.AXIS);
            g.drawLine(x + BAR_W, py, x + BAR_W + 4, py);
            g.setColor(Canvas.TEXT);
            BitmapFont.draw(g, ticks.label(i), x + BAR_W + 8, py - BitmapFont.capHeight(TEXT) / 2, TEXT);
        }
    }

    /** The "Blues" colour at {@code t} in [0, 1], linear between the matplotlib anchors. */
    static Color blues(double t) {
        double u = Math.clamp(t, 0, 1) * (BLUES.length - 1);
        int i = Math.min((int) u, BLUES.length - 2);
        double f = u - i;
        int a = BLUES[i];
        int b = BLUES[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    }
}
