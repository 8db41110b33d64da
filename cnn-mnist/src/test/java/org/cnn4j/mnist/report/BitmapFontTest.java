package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class BitmapFontTest {
    /** Box of the dark pixels (what a glyph inks on the white canvas), or null. */
    private static int[] inkBox(BufferedImage img) {
        return Pngs.box(img, 0, rgb -> (rgb & 0xFF) < 128);
    }

    private static BufferedImage draw(String s, int scale, boolean vertical) {
        BufferedImage img = Canvas.blank(200, 200);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        if (vertical) {
            BitmapFont.drawVertical(g, s, 50, 150, scale);
        } else {
            BitmapFont.draw(g, s, 10, 20, scale);
        }
        g.dispose();
        return img;
    }

    @Test
    void everyPrintableAsciiCharacterHasAGlyph() {
        BufferedImage unknown = draw("?", 1, false);
        for (char c = '!'; c <= '~'; c++) {
            if (c == '?' || c == '`' || c == '^' || c == '~' || c == '{' || c == '}' || c == '$' || c == '@') {
                continue; // not in the font: drawn as '?'
            }
            BufferedImage img = draw(String.valueOf(c), 1, false);
            assertThat(inkBox(img)).as("glyph for '%s'", c).isNotNull();
            assertThat(sameInk(img, unknown)).as("'%s' differs from '?'", c).isFalse();
        }
        assertThat(inkBox(draw(" ", 1, false))).isNull();
        assertThat(sameInk(draw("@", 1, false), unknown)).isTrue();
    }

    private static boolean sameInk(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void metricsMatchWhatIsDrawn() {
        assertThat(BitmapFont.width("", 2)).isZero();
        assertThat(BitmapFont.width("E", 1)).isEqualTo(5);
        assertThat(BitmapFont.width("EE", 3)).isEqualTo(33);
        // "E" fills its whole 5x7 cell.
        assertThat(inkBox(draw("EE", 3, false))).containsExactly(10, 20, 10 + 33, 20 + 21);
        // Descenders go two rows below the capitals.
        assertThat(inkBox(draw("g", 2, false))[3]).isEqualTo(20 + 18);
    }

    @Test
    void verticalTextReadsBottomToTop() {
        // "E" turned a quarter left: its top bar (row 0) becomes the left column.
        int[] box = inkBox(draw("EL", 2, true));
        assertThat(box).containsExactly(50, 150 - BitmapFont.width("EL", 2), 50 + 14, 150);
        BufferedImage img = draw("L", 2, true);
        // "L" has a bottom bar (row 6) that, turned left, becomes the right column at the bottom.
        int[] l = inkBox(img);
        for (int y = l[1]; y < l[3]; y++) {
            assertThat(img.getRGB(l[2] - 1, y) & 0xFF).as("right column y=%d", y).isLessThan(128);
        }
        // and its stem (column 0) lies along the bottom edge.
        for (int x = l[0]; x < l[2]; x++) {
            assertThat(img.getRGB(x, l[3] - 1) & 0xFF).as("bottom row x=%d", x).isLessThan(128);
        }
    }
}
