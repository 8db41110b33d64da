package org.cnn4j.mnist.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Shared drawing set-up and pieces used by the PNG reports. */
final class Canvas {
    static final Color TEXT = new Color(0x20, 0x20, 0x20);
    static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
    static final Color AXIS = new Color(0x40, 0x40, 0x40);
    static final Color FRAME = new Color(0xB0, 0xB0, 0xB0);
    // matplotlib's first two default colours, so the curves look like the kernel's plots.
    static final Color TRAIN = new Color(0x1F, 0x77, 0xB4);
    static final Color VALIDATION = new Color(0xFF, 0x7F, 0x0E);
    static final Color ERROR = new Color(0xC0, 0x20, 0x20);

    private Canvas() {
    }

    /** A white RGB image. */
    static BufferedImage blank(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** Graphics with smooth lines; text is drawn by {@link BitmapFont}, not by Java2D fonts. */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setStroke(new BasicStroke(1f));
        return g;
    }

    /**
     * Draws image {@code i} of {@code images} at {@code (x, y)}, each pixel a {@code scale x scale}
     * block, dark ink on white like a printed digit. Row 0 is at the top.
     */
    static void drawDigit(Graphics2D g, ImageSet images, int i, int x, int y, int scale) {
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        for (int r = 0; r < images.height(); r++) {
            for (int c = 0; c < images.width(); c++) {
                float v = Math.clamp(images.pixel(i, r, c), 0f, 1f);
                int gray = Math.round(255 * (1 - v));
                g.setColor(new Color(gray, gray, gray));
                g.fillRect(x + c * scale, y + r * scale, scale, scale);
            }
        }
        g.setColor(FRAME);
        g.drawRect(x - 1, y - 1, images.width() * scale + 1, images.height() * scale + 1);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
    }

    /** The label text of class {@code c}: its number, plus its name when names are given. */
    static String className(int c, String[] classNames) {
        if (c < 0) {
            return "?";
        }
        return classNames == null || c >= classNames.length ? String.valueOf(c) : c + " " + classNames[c];
    }

    /** The largest font scale (1 to {@code max}) at which {@code text} fits in {@code width} pixels. */
    static int fitScale(String text, int width, int max) {
        int s = max;
        while (s > 1 && BitmapFont.width(text, s) > width) {
            s--;
        }
        return s;
    }
}
