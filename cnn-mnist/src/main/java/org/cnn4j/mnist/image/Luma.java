package org.cnn4j.mnist.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/** Brightness of every pixel in [0, 1] (1 = white), with transparency composited onto white. */
final class Luma {
    private Luma() {
    }

    /** Row-major luma of {@code img}. */
    static double[] of(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return grayRaster(img, cm);
        }
        return rgb(img);
    }

    // Java's grey colour space is linear, so getRGB would brighten mid-greys; read the stored samples.
    private static double[] grayRaster(BufferedImage img, ColorModel cm) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster r = img.getRaster();
        double gMax = (1L << cm.getComponentSize(0)) - 1;
        boolean alpha = cm.hasAlpha();
        double aMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
        boolean premultiplied = cm.isAlphaPremultiplied();
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double g = r.getSample(x, y, 0) / gMax;
                double a = alpha ? r.getSample(x, y, 1) / aMax : 1;
                out[y * w + x] = (premultiplied ? g : a * g) + (1 - a);
            }
        }
        return out;
    }

    private static double[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                double a = (p >>> 24) / 255.0;
                // ITU-R BT.601 weights, as PIL's convert("L") and the MNIST tooling use.
                double l = (0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF)) / 255.0;
                out[y * w + x] = a * l + (1 - a);
            }
        }
        return out;
    }
}
