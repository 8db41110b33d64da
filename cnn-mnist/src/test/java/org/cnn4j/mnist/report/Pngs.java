package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test helpers for reading back written PNGs. */
final class Pngs {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private Pngs() {
    }

    /** Asserts that {@code file} is a PNG and decodes it. */
    static BufferedImage read(Path file) throws IOException {
        assertThat(file).isRegularFile();
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(head, 0, 8)).isEqualTo(8);
        }
        assertThat(head).containsExactly(SIGNATURE);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).isNotNull();
        return img;
    }

    /** Luma 0..255 of pixel (x, y). */
    static int luma(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y);
        return (299 * (rgb >> 16 & 0xFF) + 587 * (rgb >> 8 & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
    }

    /** Number of pixels of exactly {@code rgb} in the rectangle. */
    static int count(BufferedImage img, int rgb, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * The box {x0, y0, x1, y1} (ends exclusive) of the pixels at rows {@code fromY} and below whose
     * ARGB value {@code ink} accepts, or null if there are none.
     */
    static int[] box(BufferedImage img, int fromY, java.util.function.IntPredicate ink) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = fromY; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (ink.test(img.getRGB(x, y))) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 + 1, y1 + 1};
    }

    /** No leftover temporary files in {@code dir}. */
    static void assertNoTempFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
