package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnn4j.mnist.data.IdxFixtures.concat;
import static org.cnn4j.mnist.data.IdxFixtures.gzip;
import static org.cnn4j.mnist.data.IdxFixtures.header;
import static org.cnn4j.mnist.data.IdxFixtures.imagesFile;
import static org.cnn4j.mnist.data.IdxFixtures.labels;
import static org.cnn4j.mnist.data.IdxFixtures.labelsFile;
import static org.cnn4j.mnist.data.IdxFixtures.pixels;
import static org.cnn4j.mnist.data.IdxFixtures.write;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawImages() throws IOException {
        byte[] pixels = pixels(3, 1);
        Path file = write(dir.resolve("images-idx3-ubyte"), imagesFile(pixels));

        LabeledImages images = IdxReader.readImages(file);

        assertThat(images.size()).isEqualTo(3);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(images.cols()).isEqualTo(28);
        assertThat(images.isLabeled()).isFalse();
        assertThat(images.copyPixels()).isEqualTo(pixels);
        assertThat(images.pixel(2, 783)).isEqualTo(pixels[3 * 784 - 1] & 0xff);
    }

    @Test
    void readsGzippedImagesWhateverTheName() throws IOException {
        byte[] pixels = pixels(5, 2);
        // No .gz suffix: detection must go by the magic bytes.
        Path file = write(dir.resolve("images-idx3-ubyte"), gzip(imagesFile(pixels)));

        assertThat(IdxReader.readImages(file).copyPixels()).isEqualTo(pixels);
    }

    @Test
    void readsEmptyImageFile() throws IOException {
        Path file = write(dir.resolve("empty"), imagesFile(new byte[0]));

        assertThat(IdxReader.readImages(file).size()).isZero();
    }

    @Test
    void readsRawAndGzippedLabels() throws IOException {
        byte[] labels = labels(25, 3);
        Path raw = write(dir.resolve("raw"), labelsFile(labels));
        Path gz = write(dir.resolve("raw.gz"), gzip(labelsFile(labels)));

        assertThat(IdxReader.readLabels(raw)).isEqualTo(labels);
        assertThat(IdxReader.readLabels(gz)).isEqualTo(labels);
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path file = write(dir.resolve("bad"), concat(header(0x12345678, 1, 28, 28), pixels(1, 1)));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": bad magic number 0x12345678 at byte 0, expected 0x00000803"
                        + " (IDX images: unsigned bytes, 3 dimensions)");
    }

    @Test
    void rejectsLabelFileGivenAsImages() throws IOException {
        Path file = write(dir.resolve("labels"), labelsFile(labels(10, 0)));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": bad magic number 0x00000801 at byte 0")
                .hasMessageEndingWith("this is an IDX label file");
    }

    @Test
    void rejectsWrongDimensionCount() throws IOException {
        // Unsigned bytes but 2 dimensions: a plausible IDX file, just not of images.
        Path file = write(dir.resolve("2d"), concat(header(0x00000802, 1, 784), pixels(1, 1)));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": bad magic number 0x00000802 at byte 0")
                .hasMessageEndingWith("found 2 dimensions");
    }

    @Test
    void rejectsImagesThatAreNot28By28() throws IOException {
        Path file = write(dir.resolve("32x32"), concat(header(IdxReader.IMAGES_MAGIC, 1, 32, 32), new byte[1024]));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": images are 32x32 (header bytes 8..15), expected 28x28");
    }

    @Test
    void rejectsTruncatedRawFile() throws IOException {
        byte[] whole = imagesFile(pixels(2, 1));
        Path file = write(dir.resolve("short"), Arrays.copyOf(whole, whole.length - 1));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": truncated: the header claims 2 images of 28x28 (1568 bytes after the"
                        + " 16-byte header) but the file has 1567");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        Path file = write(dir.resolve("stub"), Arrays.copyOf(header(IdxReader.IMAGES_MAGIC, 1, 28, 28), 10));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": truncated header: 10 bytes, expected 16 for IDX images");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = write(dir.resolve("long"), concat(labelsFile(labels(4, 0)), new byte[3]));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": 3 unexpected bytes after byte 12: the header claims only 4 labels");
    }

    /** Runs {@code action} in this thread and returns how many bytes it allocated on the heap. */
    private static long allocatedBy(Runnable action) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void rejectsHugeClaimInTinyRawFileQuicklyWithoutAllocating() throws IOException {
        // 2^31 images would be 1.6 TB; the check must come before any allocation.
        Path file = write(dir.resolve("liar"), concat(header(IdxReader.IMAGES_MAGIC, 1 << 31, 28, 28),
                new byte[1000]));
        long start = System.nanoTime();

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": truncated: the header claims 2147483648 images of 28x28 (1683627180032"
                        + " bytes after the 16-byte header) but the file has 1000"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void rejectsHugeClaimInTinyGzipFileQuickly() throws IOException {
        Path file = write(dir.resolve("liar.gz"), gzip(concat(header(IdxReader.IMAGES_MAGIC, 1 << 31, 28, 28),
                new byte[1000])));
        long start = System.nanoTime();

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": the header claims 2147483648 images of 28x28"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void rejectsLargeButAllocatableClaimInTinyGzipAtTheTruncation() throws IOException {
        // 2,000,000 images = 1.5 GB would fit in an array; the buffer must follow the data instead.
        Path file = write(dir.resolve("liar.gz"), gzip(concat(header(IdxReader.IMAGES_MAGIC, 2_000_000, 28, 28),
                new byte[1000])));
        long start = System.nanoTime();

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": truncated gzip data: it ends after byte 1016 of the uncompressed content"
                        + " but the header claims 2000000 images of 28x28"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        byte[] gz = gzip(imagesFile(pixels(4, 7)));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": truncated gzip data");
    }

    @Test
    void rejectsGzipWithoutItsTrailer() throws IOException {
        // All the data is there but the CRC is not: the content is unverified, so it is an error.
        byte[] gz = gzip(labelsFile(labels(10, 0)));
        Path file = write(dir.resolve("notrailer.gz"), Arrays.copyOf(gz, gz.length - 8));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": truncated gzip data");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] gz = gzip(labelsFile(labels(100, 0)));
        gz[gz.length - 5] ^= 0x55; // inside the CRC/length trailer
        Path file = write(dir.resolve("bad.gz"), gz);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": corrupt gzip data: ");
    }

    @Test
    void rejectsLabelOutOfRangeNamingIndex() throws IOException {
        byte[] labels = labels(20, 0);
        labels[13] = 10;
        Path file = write(dir.resolve("labels"), labelsFile(labels));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": label 10 at index 13 (byte 21) is not 0..9");
    }

    @Test
    void rejectsHighLabelByteAsUnsigned() throws IOException {
        byte[] labels = labels(3, 0);
        labels[2] = (byte) 200;
        Path file = write(dir.resolve("labels"), labelsFile(labels));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": label 200 at index 2 (byte 10) is not 0..9");
    }

    @Test
    void rejectsMissingFileAndDirectory() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> IdxReader.readImages(missing))
                .isInstanceOf(InputException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> IdxReader.readLabels(dir))
                .isInstanceOf(InputException.class)
                .hasMessage(dir + ": is a directory, expected an IDX file");
    }
}
