package org.cnn4j.mnist.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Digit-like test pictures drawn with shapes only (no fonts), and helpers to save them. */
final class TestImages {
    static final int W = 300;
    static final int H = 400;

    private TestImages() {
    }

    /** A thick "7": a top bar and a slanted stem, in {@code ink} on {@code paper} (null = transparent). */
    static BufferedImage seven(Color ink, Color paper) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        if (paper != null) {
            g.setColor(paper);
            g.fillRect(0, 0, W, H);
        }
        g.setColor(ink);
        g.setStroke(new BasicStroke(36, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D p = new Path2D.Double();
        // Off-centre on purpose, so centring has work to do.
        p.moveTo(60, 70);
        p.lineTo(230, 70);
        p.lineTo(120, 330);
        g.draw(p);
        g.dispose();
        return img;
    }

    /** The same image flattened onto white, for formats without alpha. */
    static BufferedImage rgb(BufferedImage argb) {
        BufferedImage out = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(argb, 0, 0, null);
        g.dispose();
        return out;
    }

    static Path save(BufferedImage img, String format, Path file) throws IOException {
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }
}
