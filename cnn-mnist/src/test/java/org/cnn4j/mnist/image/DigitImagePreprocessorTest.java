package org.cnn4j.mnist.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitImagePreprocessorTest {
    private static final int N = DigitImagePreprocessor.SIZE;

    @TempDir
    static Path dir;

    private static Path png;
    private static Path jpeg;
    private static Path bmpNamedPng;
    private static Path gif;
    private static float[] fromPng;

    private final DigitImagePreprocessor pre = new DigitImagePreprocessor();

    @BeforeAll
    static void drawInputs() throws IOException {
        BufferedImage seven = TestImages.seven(Color.BLACK, null); // black ink on transparent
        png = TestImages.save(seven, "png", dir.resolve("seven.png"));
        jpeg = TestImages.save(TestImages.rgb(seven), "jpeg", dir.resolve("seven.jpg"));
        // The name lies: this is a BMP. Detection must go by content.
        bmpNamedPng = TestImages.save(TestImages.rgb(seven), "bmp", dir.resolve("really-a-bmp.png"));
        gif = TestImages.save(TestImages.rgb(seven), "gif", dir.resolve("seven.dat"));
        fromPng = new DigitImagePreprocessor().preprocess(png);
    }

    @Test
    void pngWithAlphaBecomesAnMnistStyleDigit() {
        assertMnistLike(fromPng);
    }

    @Test
    void bytesInMemoryGiveExactlyWhatTheFileGives() throws IOException {
        for (Path p : new Path[] {png, jpeg, bmpNamedPng, gif}) {
            assertThat(pre.preprocess(Files.readAllBytes(p), "row 3")).as("%s", p.getFileName())
                    .containsExactly(pre.preprocess(p));
        }
    }

    @Test
    void corruptBytesAreAnInputErrorNamingTheSource() throws IOException {
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(png), 60);
        assertThatThrownBy(() -> pre.preprocess(cut, "s3://bucket/x.png")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("s3://bucket/x.png: ");
        assertThatThrownBy(() -> pre.preprocess("not an image".getBytes(), "row 7")).isInstanceOf(InputException.class)
                .hasMessage("row 7: not an image (expected PNG, JPEG, BMP or GIF)");
    }

    @Test
    void jpegBmpAndGifGiveTheSameDigit() {
        for (Path p : new Path[] {jpeg, bmpNamedPng, gif}) {
            float[] out = pre.preprocess(p);
            assertMnistLike(out);
            assertThat(meanAbsDiff(out, fromPng)).as("%s vs PNG", p.getFileName()).isLessThan(0.02);
        }
    }

    @Test
    void darkBackgroundGivesTheSameResultAsLightBackground() {
        float[] dark = pre.preprocess(TestImages.seven(Color.WHITE, Color.BLACK), "dark");
        float[] light = pre.preprocess(TestImages.seven(Color.BLACK, Color.WHITE), "light");
        assertThat(meanAbsDiff(dark, light)).isLessThan(1e-6);
        assertThat(meanAbsDiff(light, fromPng)).isLessThan(1e-6);
    }

    @Test
    void greyPaperAndGreyInkAreStretched() {
        float[] out = pre.preprocess(TestImages.seven(new Color(90, 90, 90), new Color(200, 200, 200)), "grey");
        assertMnistLike(out);
        assertThat(meanAbsDiff(out, fromPng)).isLessThan(0.01);
    }

    @Test
    void eightBitGreyImagesAreReadByTheirStoredValues() throws IOException {
        BufferedImage rgb = TestImages.rgb(TestImages.seven(new Color(60, 60, 60), new Color(180, 180, 180)));
        BufferedImage gray = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                gray.getRaster().setSample(x, y, 0, rgb.getRGB(x, y) & 0xFF);
            }
        }
        double[] luma = Luma.of(gray);
        assertThat(luma[0]).isCloseTo(180 / 255.0, within(1e-9));
        Path f = TestImages.save(gray, "png", dir.resolve("gray.png"));
        assertMnistLike(pre.preprocess(f));
    }

    private static void assertMnistLike(float[] out) {
        assertThat(out).hasSize(N * N);
        double sum = 0;
        double sx = 0;
        double sy = 0;
        float max = 0;
        int x0 = N;
        int y0 = N;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                float v = out[y * N + x];
                assertThat(v).isBetween(0f, 1f);
                sum += v;
                sx += v * x;
                sy += v * y;
                max = Math.max(max, v);
                if (v > 0.05f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        // Centre of mass on pixel (14, 14), as in MNIST.
        assertThat(sx / sum).isCloseTo(14.0, within(0.1));
        assertThat(sy / sum).isCloseTo(14.0, within(0.1));
        // The "7" is taller than wide: its height is the 20-pixel side (21 with a partly covered edge pixel).
        assertThat(y1 - y0 + 1).isBetween(20, 21);
        assertThat(x1 - x0 + 1).isBetween(12, 19);
        // Ink near 1, background exactly 0 away from the ink.
        assertThat(max).isEqualTo(1f);
        assertThat(countAbove(out, 0.9f)).isGreaterThan(30);
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                if (x < x0 || x > x1 || y < y0 || y > y1) {
                    assertThat(out[y * N + x]).as("background at (%d,%d)", y, x).isLessThan(0.05f);
                }
            }
        }
        assertThat(out[0]).isZero();
        assertThat(out[N * N - 1]).isZero();
    }

    private static int countAbove(float[] a, float t) {
        int n = 0;
        for (float v : a) {
            n += v > t ? 1 : 0;
        }
        return n;
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void aTextFileIsNotAnImage() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.png"), "label,pixel0\n1,0\n");
        assertThatThrownBy(() -> pre.preprocess(f))
                .isInstanceOf(InputException.class)
                .hasMessage(f + ": not an image (expected PNG, JPEG, BMP or GIF)");
    }

    @Test
    void aMissingFileIsReported() {
        Path f = dir.resolve("nope.png");
        assertThatThrownBy(() -> pre.preprocess(f)).isInstanceOf(InputException.class).hasMessage(f + ": no such file");
        assertThatThrownBy(() -> pre.preprocess(dir)).isInstanceOf(InputException.class)
                .hasMessage(dir + ": not a regular file");
    }

    @Test
    void aHugeImageIsRejectedFromItsHeaderBeforeDecoding() throws IOException {
        Path f = dir.resolve("bomb.png");
        Files.write(f, pngHeader(100_000, 100_000));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> pre.preprocess(f))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": PNG image is 100000x100000 pixels (10000.0 megapixels)")
                .hasMessageContaining("limit of 40.0 megapixels");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
        // The limit is the caller's to set.
        assertThatThrownBy(() -> new DigitImagePreprocessor(100_000).preprocess(png))
                .isInstanceOf(InputException.class).hasMessageContaining("300x400");
    }

    @Test
    void aTruncatedImageIsAnInputError() throws IOException {
        Path f = dir.resolve("truncated.png");
        Files.write(f, pngHeader(50, 50)); // header only: no pixel data
        assertThatThrownBy(() -> pre.preprocess(f))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": cannot decode PNG image: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void otherImageFormatsAreNamed() throws IOException {
        Path f = TestImages.save(TestImages.rgb(TestImages.seven(Color.BLACK, null)), "tiff", dir.resolve("seven.tif"));
        assertThatThrownBy(() -> pre.preprocess(f))
                .isInstanceOf(InputException.class)
                .hasMessage(f + ": unsupported image format TIFF (expected PNG, JPEG, BMP or GIF)");
    }

    @Test
    void aBlankImageHasNoDigit() throws IOException {
        BufferedImage white = TestImages.seven(Color.WHITE, Color.WHITE);
        Path f = TestImages.save(white, "png", dir.resolve("blank.png"));
        assertThatThrownBy(() -> pre.preprocess(f))
                .isInstanceOf(InputException.class)
                .hasMessage(f + ": no digit found (the image is almost uniform)");
    }

    @Test
    void largeImagesAreDecodedSubsampled() {
        assertThat(BoundedImageReader.subsampling(4_000_000, 4_000_000)).isEqualTo(1);
        assertThat(BoundedImageReader.subsampling(4_000_001, 4_000_000)).isEqualTo(2);
        assertThat(BoundedImageReader.subsampling(40_000_000, 4_000_000)).isEqualTo(4);
        BufferedImage small = BoundedImageReader.read(png, 1_000_000, 10_000);
        assertThat(small.getWidth()).isEqualTo(75);
        assertThat(small.getHeight()).isEqualTo(100);
        // The digit survives: same shape from a quarter of the rows and columns.
        float[] out = pre.preprocess(small, "small");
        assertThat(meanAbsDiff(out, fromPng)).isLessThan(0.03);
    }

    @Test
    void writesThe28x28AsGreyPng() throws IOException {
        Path f = dir.resolve("show/input-28.png");
        DigitImagePreprocessor.writePng(fromPng, f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getWidth()).isEqualTo(N);
        assertThat(img.getHeight()).isEqualTo(N);
        for (int i = 0; i < N * N; i++) {
            int stored = img.getRaster().getSample(i % N, i / N, 0);
            assertThat(stored).isEqualTo(Math.round(255 * fromPng[i]));
        }
        Path big = dir.resolve("show/input-280.png");
        DigitImagePreprocessor.writePng(fromPng, big, 10);
        assertThat(ImageIO.read(big.toFile()).getWidth()).isEqualTo(280);
    }

    /** A PNG signature and a valid IHDR chunk claiming {@code w x h} 8-bit RGB, and nothing else. */
    private static byte[] pngHeader(int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.writeBytes("IHDR");
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] body = chunk.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        out.writeInt(body.length - 4);
        out.write(body);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
