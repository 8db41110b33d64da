package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPngTest {
    @TempDir
    Path dir;

    private static ConfusionMatrix sample() {
        int[][] counts = new int[10][10];
        for (int c = 0; c < 10; c++) {
            counts[c][c] = 400 + c;
        }
        counts[4][9] = 17; // the kernel's most common confusion
        counts[7][2] = 3;
        return ConfusionMatrix.ofCounts(counts);
    }

    /** Mean luma of a small square around the centre of a cell, between the digits of its count. */
    private static double cellLuma(BufferedImage img, ConfusionMatrixPng.Layout l, int t, int p) {
        int[] c = l.cellCenter(t, p);
        int off = l.cell() / 2 - 3;
        // Sample the cell's corners, where the count text never reaches.
        return (Pngs.luma(img, c[0] - off, c[1] - off) + Pngs.luma(img, c[0] + off, c[1] - off)
                + Pngs.luma(img, c[0] - off, c[1] + off) + Pngs.luma(img, c[0] + off, c[1] + off)) / 4.0;
    }

    @Test
    void largestCountIsTheDarkestCellAndEmptyCellsAreLight() throws Exception {
        Path f = dir.resolve("confusion_matrix.png");
        ConfusionMatrixPng.write(f, sample(), null);
        BufferedImage img = Pngs.read(f);
        ConfusionMatrixPng.Layout l = ConfusionMatrixPng.layout(10, null);
        assertThat(img.getWidth()).isEqualTo(l.width());
        assertThat(img.getHeight()).isEqualTo(l.height());
        double largest = cellLuma(img, l, 9, 9);
        double empty = cellLuma(img, l, 0, 1);
        double small = cellLuma(img, l, 4, 9);
        assertThat(largest).isLessThan(80);
        assertThat(empty).isGreaterThan(240);
        assertThat(small).isBetween(largest, empty);
        Pngs.assertNoTempFiles(dir);
    }

    @Test
    void countsAreWrittenInContrastingColours() {
        BufferedImage img = ConfusionMatrixPng.render(sample(), null);
        ConfusionMatrixPng.Layout l = ConfusionMatrixPng.layout(10, null);
        int[] dark = l.cellCenter(5, 5);
        int[] light = l.cellCenter(4, 9);
        int r = l.cell() / 2 - 4;
        assertThat(Pngs.count(img, 0xFFFFFF, dark[0] - r, dark[1] - r, dark[0] + r, dark[1] + r))
                .as("white digits on the dark diagonal").isGreaterThan(40);
        assertThat(Pngs.count(img, Canvas.TEXT.getRGB(), light[0] - r, light[1] - r, light[0] + r, light[1] + r))
                .as("dark digits on a light cell").isGreaterThan(20);
    }

    @Test
    void longClassNamesTurnTheColumnLabels() {
        String[] fashion = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot"};
        ConfusionMatrixPng.Layout l = ConfusionMatrixPng.layout(10, fashion);
        assertThat(l.verticalColumnLabels()).isTrue();
        assertThat(ConfusionMatrixPng.layout(10, null).verticalColumnLabels()).isFalse();
        BufferedImage img = ConfusionMatrixPng.render(sample(), fashion);
        assertThat(img.getHeight()).isEqualTo(l.height());
    }

    @Test
    void blueScaleRunsFromNearWhiteToDarkBlue() {
        assertThat(ConfusionMatrixPng.blues(0).getRGB() & 0xFFFFFF).isEqualTo(0xF7FBFF);
        assertThat(ConfusionMatrixPng.blues(1).getRGB() & 0xFFFFFF).isEqualTo(0x08306B);
        assertThat(ConfusionMatrixPng.blues(0.5).getRGB() & 0xFFFFFF).isEqualTo(0x6BAED6);
    }
}
