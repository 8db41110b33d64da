package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import org.cnn4j.init.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewPngTest {
    @TempDir
    Path dir;

    @Test
    void writesA5x5GridPng() throws Exception {
        ImageSet images = SyntheticDigits.make(100);
        Path f = dir.resolve("preview.png");
        PreviewPng.write(f, images, null, new Rng(1));
        BufferedImage img = Pngs.read(f);
        BufferedImage expected = PreviewPng.render(images, new int[25], null, "x");
        assertThat(img.getWidth()).isEqualTo(expected.getWidth());
        assertThat(img.getHeight()).isEqualTo(expected.getHeight());
        assertThat(img.getWidth()).isGreaterThan(5 * 112);
        assertThat(img.getHeight()).isGreaterThan(5 * 112);
        Pngs.assertNoTempFiles(dir);
    }

    @Test
    void picksDistinctImagesReproducibly() {
        int[] a = PreviewPng.pick(1000, 25, new Rng(9));
        int[] b = PreviewPng.pick(1000, 25, new Rng(9));
        assertThat(a).hasSize(25).containsExactly(b);
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(25);
        assertThat(Arrays.stream(a).allMatch(i -> i >= 0 && i < 1000)).isTrue();
        assertThat(PreviewPng.pick(7, 25, new Rng(9))).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void digitsAreDrawnUprightDarkOnLight() throws Exception {
        // One image whose only ink is the top-right pixel; it must stay top-right in the tile.
        byte[] px = new byte[784];
        px[27] = (byte) 255;
        ImageSet one = ImageSet.ofBytes(px, new int[] {3}, 28, 28);
        BufferedImage img = PreviewPng.render(one, new int[] {0}, null, "t");
        int[] dark = darkBox(img);
        // The ink pixel is a 4x4 block: its box is 4 wide, the rest of the tile is white.
        assertThat(dark[2] - dark[0]).isEqualTo(4);
        assertThat(dark[3] - dark[1]).isEqualTo(4);
        // It sits to the right of and just below the label "3" (the top of the tile).
        int[] label = labelBox(img);
        assertThat(dark[0]).isGreaterThan(label[2]);
        assertThat(dark[1] - label[3]).isBetween(1, 16);
    }

    @Test
    void classNamesAreShownWhenGiven() {
        ImageSet images = SyntheticDigits.make(10);
        int[] idx = {0, 1, 2};
        BufferedImage plain = PreviewPng.render(images, idx, null, "t");
        BufferedImage named = PreviewPng.render(images, idx, new String[] {"T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}, "t");
        // Cells grow to fit "0 T-shirt/top" at full size.
        assertThat(named.getWidth()).isGreaterThan(plain.getWidth());
    }

    /** Box of pure black pixels: full ink; text and frame are other colours. */
    private static int[] darkBox(BufferedImage img) {
        return Pngs.box(img, 0, rgb -> rgb == 0xFF000000);
    }

    /** Box of the label text colour below the title. */
    private static int[] labelBox(BufferedImage img) {
        return Pngs.box(img, 16 + BitmapFont.lineHeight(2),
                rgb -> (rgb & 0xFFFFFF) == (Canvas.TEXT.getRGB() & 0xFFFFFF));
    }
}
