package org.cnn4j.mnist.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * {@code curves.png}: two panels, loss and accuracy per epoch, training against validation, with
 * ticked axes and a legend (the kernel's two learning-curve plots side by side).
 */
public final class CurvesPng {
    static final int PANEL_W = 560;
    static final int PANEL_H = 420;
    private static final int LABEL_X = 8;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 62;
    private static final int TEXT = 2;

    private CurvesPng() {
    }

    /** Writes both panels for {@code history}; an empty history gives empty axes. */
    public static void write(Path file, EpochMetrics history) {
        ReportFiles.writePng(render(history), file);
    }

    /** Both panels as an image. */
    static BufferedImage render(EpochMetrics history) {
        BufferedImage img = Canvas.blank(2 * PANEL_W, PANEL_H);
        Graphics2D g = Canvas.graphics(img);
        panel(g, 0, "Loss", "loss", history.loss(), history.valLoss());
        panel(g, PANEL_W, "Accuracy", "accuracy", history.accuracy(), history.valAccuracy());
        g.dispose();
        return img;
    }

    /**
     * The plot area of the panel at {@code panelX} as {x0, y0, x1, y1}: the left edge leaves room
     * for the vertical axis name and the widest tick label.
     */
    static int[] plotArea(int panelX, Ticks yTicks) {
        int labelW = 0;
        for (int i = 0; i < yTicks.count; i++) {
            labelW = Math.max(labelW, BitmapFont.width(yTicks.label(i), TEXT));
        }
        int left = LABEL_X + BitmapFont.lineHeight(TEXT) + 8 + labelW + 9;
        return new int[] {panelX + left, TOP, panelX + PANEL_W - RIGHT, PANEL_H - BOTTOM};
    }

    /** The y ticks of a panel showing {@code train} and {@code val}. */
    static Ticks yTicks(double[] train, double[] val) {
        double[] yr = yRange(train, val);
        return Ticks.of(yr[0], yr[1], 6);
    }

    private static void panel(Graphics2D g, int panelX, String title, String yName, double[] train, double[] val) {
        double[] yr = yRange(train, val);
        Ticks yt = yTicks(train, val);
        int[] area = plotArea(panelX, yt);
        int x0 = area[0];
        int y0 = area[1];
        int x1 = area[2];
        int y1 = area[3];
        int n = train.length;

        g.setColor(Canvas.TEXT);
        BitmapFont.drawCentered(g, title, (x0 + x1) / 2, 14, TEXT);

        double xlo = 1 - Math.max(0.5, 0.03 * n);
        double xhi = Math.max(n, 1) + Math.max(0.5, 0.03 * n);
        Axis ax = new Axis(xlo, xhi, x0, x1, yr[0], yr[1], y0, y1);

        for (int i = 0; i < yt.count; i++) {
            int py = (int) Math.round(ax.py(yt.value(i)));
            g.setColor(Canvas.GRID);
            g.drawLine(x0 + 1, py, x1 - 1, py);
            g.setColor(Canvas.AXIS);
            g.drawLine(x0 - 5, py, x0, py);
            String label = yt.label(i);
            g.setColor(Canvas.TEXT);
            BitmapFont.draw(g, label, x0 - 9 - BitmapFont.width(label, TEXT), py - BitmapFont.capHeight(TEXT) / 2, TEXT);
        }
        Ticks xt = Ticks.integers(1, Math.max(n, 1), 10);
        for (int i = 0; i < xt.count; i++) {
            int px = (int) Math.round(ax.px(xt.value(i)));
            g.setColor(Canvas.GRID);
            g.drawLine(px, y0 + 1, px, y1 - 1);
            g.setColor(Canvas.AXIS);
            g.drawLine(px, y1, px, y1 + 5);
            g.setColor(Canvas.TEXT);
            BitmapFont.drawCentered(g, xt.label(i), px, y1 + 10, TEXT);
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(x0, y0, x1 - x0, y1 - y0);

        g.setColor(Canvas.TEXT);
        BitmapFont.drawCentered(g, "epoch", (x0 + x1) / 2, y1 + 34, TEXT);
        BitmapFont.drawVertical(g, yName, panelX + LABEL_X, (y0 + y1) / 2 + BitmapFont.width(yName, TEXT) / 2, TEXT);

        if (n == 0) {
            BitmapFont.drawCentered(g, "no epochs yet", (x0 + x1) / 2, (y0 + y1) / 2, TEXT);
            return;
        }
        Graphics2D clip = (Graphics2D) g.create();
        clip.clipRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        series(clip, ax, train, Canvas.TRAIN);
        series(clip, ax, val, Canvas.VALIDATION);
        clip.dispose();
        legend(g, ax, train, val);
    }

    /** Data range of both series, padded; a flat or empty series still gets a visible span. */
    static double[] yRange(double[] a, double[] b) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] s : new double[][] {a, b}) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        double span = hi - lo;
        if (span == 0) {
            span = Math.max(Math.abs(hi) * 0.1, 1e-3);
        }
        return new double[] {lo - 0.08 * span, hi + 0.08 * span};
    }

    private static void series(Graphics2D g, Axis ax, double[] v, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int e = 1; e < v.length; e++) {
            if (Double.isFinite(v[e - 1]) && Double.isFinite(v[e])) {
                g.draw(new Line2D.Double(ax.px(e), ax.py(v[e - 1]), ax.px(e + 1), ax.py(v[e])));
            }
        }
        if (v.length <= 60) {
            for (int e = 0; e < v.length; e++) {
                if (Double.isFinite(v[e])) {
                    g.fill(new Ellipse2D.Double(ax.px(e + 1) - 3.5, ax.py(v[e]) - 3.5, 7, 7));
                }
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** A legend box in the corner of the plot that covers the fewest data points. */
    private static void legend(Graphics2D g, Axis ax, double[] train, double[] val) {
        boolean hasTrain = anyFinite(train);
        boolean hasVal = anyFinite(val);
        String[] names = hasTrain && hasVal ? new String[] {"train", "validation"}
                : hasVal ? new String[] {"validation"} : new String[] {"train"};
        Color[] colors = hasTrain && hasVal ? new Color[] {Canvas.TRAIN, Canvas.VALIDATION}
                : hasVal ? new Color[] {Canvas.VALIDATION} : new Color[] {Canvas.TRAIN};
        int lineH = BitmapFont.lineHeight(TEXT);
        int textW = 0;
        for (String name : names) {
            textW = Math.max(textW, BitmapFont.width(name, TEXT));
        }
        int w = 12 + 28 + 8 + textW + 12;
        int h = 10 + names.length * lineH + 4;
        int[][] corners = {
            {ax.x1 - w - 10, ax.y0 + 10}, {ax.x1 - w - 10, ax.y1 - h - 10},
            {ax.x0 + 10, ax.y0 + 10}, {ax.x0 + 10, ax.y1 - h - 10}};
        int best = 0;
        int bestHits = Integer.MAX_VALUE;
        for (int k = 0; k < corners.length; k++) {
            int hits = hits(ax, train, corners[k], w, h) + hits(ax, val, corners[k], w, h);
            if (hits < bestHits) {
                bestHits = hits;
                best = k;
            }
        }
        int lx = corners[best][0];
        int ly = corners[best][1];
        g.setColor(Color.WHITE);
        g.fillRect(lx, ly, w, h);
        g.setColor(Canvas.FRAME);
        g.drawRect(lx, ly, w, h);
        for (int i = 0; i < names.length; i++) {
            int cy = ly + 10 + i * lineH + BitmapFont.capHeight(TEXT) / 2;
            g.setColor(colors[i]);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(lx + 12, cy, lx + 40, cy);
            g.fill(new Ellipse2D.Double(lx + 26 - 3.5, cy - 3.5, 7, 7));
            g.setStroke(new BasicStroke(1f));
            g.setColor(Canvas.TEXT);
            BitmapFont.draw(g, names[i], lx + 48, ly + 10 + i * lineH, TEXT);
        }
    }

    // Counts points and the midpoints of segments, so a line crossing the box also counts.
    private static int hits(Axis ax, double[] v, int[] corner, int w, int h) {
        int hits = 0;
        for (int e = 0; e < v.length; e++) {
            if (!Double.isFinite(v[e])) {
                continue;
            }
            hits += inside(ax.px(e + 1), ax.py(v[e]), corner, w, h) ? 1 : 0;
            if (e > 0 && Double.isFinite(v[e - 1])) {
                hits += inside(ax.px(e + 0.5), ax.py((v[e] + v[e - 1]) / 2), corner, w, h) ? 1 : 0;
            }
        }
        return hits;
    }

    private static boolean inside(double x, double y, int[] corner, int w, int h) {
        return x >= corner[0] - 6 && x <= corner[0] + w + 6 && y >= corner[1] - 6 && y <= corner[1] + h + 6;
    }

    private static boolean anyFinite(double[] v) {
        for (double d : v) {
            if (Double.isFinite(d)) {
                return true;
            }
        }
        return false;
    }

    /** Data to pixel mapping of one panel. */
    private record Axis(double xlo, double xhi, int x0, int x1, double ylo, double yhi, int y0, int y1) {
        double px(double epoch) {
            return x0 + (epoch - xlo) / (xhi - xlo) * (x1 - x0);
        }

        double py(double v) {
            return y1 - (v - ylo) / (yhi - ylo) * (y1 - y0);
        }
    }
}
