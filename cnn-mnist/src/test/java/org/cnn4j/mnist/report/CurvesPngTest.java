package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesPngTest {
    @TempDir
    Path dir;

    private static EpochMetrics decreasingLoss(int epochs, boolean withValidation) {
        EpochMetrics h = EpochMetrics.empty();
        for (int e = 1; e <= epochs; e++) {
            double loss = 1.0 / e;
            h = h.withEpoch(loss, 1 - loss / 2, withValidation ? loss * 0.8 : Double.NaN,
                    withValidation ? 1 - loss / 3 : Double.NaN, 1e-3);
        }
        return h;
    }

    @Test
    void writesTwoPanelsWithBothSeries() throws Exception {
        Path f = dir.resolve("curves.png");
        CurvesPng.write(f, decreasingLoss(12, true));
        BufferedImage img = Pngs.read(f);
        assertThat(img.getWidth()).isEqualTo(2 * CurvesPng.PANEL_W);
        assertThat(img.getHeight()).isEqualTo(CurvesPng.PANEL_H);
        int w = CurvesPng.PANEL_W;
        int h = CurvesPng.PANEL_H;
        for (int panel = 0; panel < 2; panel++) {
            assertThat(Pngs.count(img, Canvas.TRAIN.getRGB(), panel * w, 0, panel * w + w, h))
                    .as("train pixels in panel %d", panel).isGreaterThan(200);
            assertThat(Pngs.count(img, Canvas.VALIDATION.getRGB(), panel * w, 0, panel * w + w, h))
                    .as("validation pixels in panel %d", panel).isGreaterThan(200);
        }
        Pngs.assertNoTempFiles(dir);
    }

    @Test
    void curvesAreOrientedLikeTheData() {
        BufferedImage img = CurvesPng.render(decreasingLoss(10, false));
        int[] area = CurvesPng.plotArea(0, CurvesPng.yTicks(decreasingLoss(10, false).loss(), new double[10]));
        // Loss falls, so the train curve is high (small y) at the left and low at the right.
        int leftY = topmost(img, Canvas.TRAIN.getRGB(), area[0] + 1, area[0] + 40, area[1], area[3]);
        int rightY = topmost(img, Canvas.TRAIN.getRGB(), area[2] - 40, area[2] - 1, area[1], area[3]);
        assertThat(leftY).isLessThan(rightY - 100);
        // Accuracy rises, so in the right panel it is the other way round.
        int[] acc = CurvesPng.plotArea(CurvesPng.PANEL_W,
                CurvesPng.yTicks(decreasingLoss(10, false).accuracy(), new double[10]));
        int accLeft = topmost(img, Canvas.TRAIN.getRGB(), acc[0] + 1, acc[0] + 40, acc[1], acc[3]);
        int accRight = topmost(img, Canvas.TRAIN.getRGB(), acc[2] - 40, acc[2] - 1, acc[1], acc[3]);
        assertThat(accLeft).isGreaterThan(accRight + 100);
    }

    private static int topmost(BufferedImage img, int rgb, int x0, int x1, int y0, int y1) {
        for (int y = y0; y < y1; y++) {
            if (Pngs.count(img, rgb, x0, y, x1, y + 1) > 0) {
                return y;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void missingValidationDrawsNoValidationCurve() {
        BufferedImage img = CurvesPng.render(decreasingLoss(5, false));
        assertThat(Pngs.count(img, Canvas.VALIDATION.getRGB(), 0, 0, img.getWidth(), img.getHeight())).isZero();
        assertThat(Pngs.count(img, Canvas.TRAIN.getRGB(), 0, 0, img.getWidth(), img.getHeight())).isGreaterThan(50);
    }

    @Test
    void emptyAndSingleEpochHistoriesStillRender() {
        BufferedImage empty = CurvesPng.render(EpochMetrics.empty());
        assertThat(Pngs.count(empty, Canvas.TRAIN.getRGB(), 0, 0, empty.getWidth(), empty.getHeight())).isZero();
        BufferedImage one = CurvesPng.render(decreasingLoss(1, true));
        assertThat(Pngs.count(one, Canvas.TRAIN.getRGB(), 0, 0, one.getWidth(), one.getHeight())).isGreaterThan(20);
    }
}
