package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MisclassifiedPngTest {
    @TempDir
    Path dir;

    /** 3 classes, rows are samples. */
    private static final float[] PROBS = {
        0.8f, 0.1f, 0.1f, // 0: true 0, right
        0.1f, 0.6f, 0.3f, // 1: true 2, pred 1, margin 0.3
        0.05f, 0.9f, 0.05f, // 2: true 0, pred 1, margin 0.85
        0.2f, 0.2f, 0.6f, // 3: true 2, right
        0.3f, 0.3f, 0.4f, // 4: true 0, pred 2, margin 0.1
    };
    private static final int[] TRUE = {0, 2, 0, 2, 0};

    @Test
    void worstErrorsComeFirstByTheKernelsMargin() {
        assertThat(MisclassifiedPng.worstErrors(TRUE, PROBS, 3, 6)).containsExactly(2, 1, 4);
        assertThat(MisclassifiedPng.worstErrors(TRUE, PROBS, 3, 2)).containsExactly(2, 1);
        assertThat(MisclassifiedPng.worstErrors(new int[] {0, 2}, new float[] {1, 0, 0, 0, 0, 1}, 3, 6)).isEmpty();
    }

    @Test
    void argmaxTakesTheFirstOfEqualScores() {
        assertThat(MisclassifiedPng.argmax(new float[] {0.5f, 0.5f, 0f}, 0, 3)).isZero();
        assertThat(MisclassifiedPng.argmax(PROBS, 4, 3)).isEqualTo(2);
    }

    @Test
    void writesTheGrid() throws Exception {
        ImageSet images = SyntheticDigits.make(5);
        // SyntheticDigits labels are i % 10; use labels that match TRUE by building a fresh set.
        ImageSet withTrue = relabel(images, TRUE);
        Path f = dir.resolve("misclassified.png");
        MisclassifiedPng.write(f, withTrue, PROBS, 3, null, MisclassifiedPng.KERNEL_COUNT);
        BufferedImage img = Pngs.read(f);
        // Three errors in one row: three 140-pixel tiles side by side, and red "pred" captions.
        assertThat(img.getWidth()).isGreaterThan(3 * 140);
        assertThat(img.getHeight()).isLessThan(2 * 140 + 100);
        assertThat(Pngs.count(img, Canvas.ERROR.getRGB(), 0, 0, img.getWidth(), img.getHeight())).isGreaterThan(100);
        Pngs.assertNoTempFiles(dir);
    }

    @Test
    void noErrorsStillGivesAnImage() throws Exception {
        Path f = dir.resolve("misclassified.png");
        MisclassifiedPng.write(f, relabel(SyntheticDigits.make(2), new int[] {0, 2}), new float[] {1, 0, 0, 0, 0, 1},
                3, null, 6);
        assertThat(Pngs.read(f).getWidth()).isPositive();
    }

    @Test
    void mismatchedProbabilitiesAreRejected() {
        assertThatThrownBy(() -> MisclassifiedPng.worstErrors(TRUE, new float[7], 3, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ImageSet relabel(ImageSet images, int[] labels) {
        float[] px = new float[images.size() * 784];
        for (int i = 0; i < images.size(); i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    px[(i * 28 + r) * 28 + c] = images.pixel(i, r, c);
                }
            }
        }
        return ImageSet.ofFloats(px, labels, 28, 28);
    }
}
