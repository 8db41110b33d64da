package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnn4j.mnist.data.IdxFixtures.gzip;
import static org.cnn4j.mnist.data.IdxFixtures.imagesFile;
import static org.cnn4j.mnist.data.IdxFixtures.labels;
import static org.cnn4j.mnist.data.IdxFixtures.labelsFile;
import static org.cnn4j.mnist.data.IdxFixtures.pixels;
import static org.cnn4j.mnist.data.IdxFixtures.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledImagesTest {
    @TempDir
    Path dir;

    @Test
    void loadsAnIdxPair() throws IOException {
        byte[] pixels = pixels(12, 5);
        byte[] labels = labels(12, 4);
        Path images = write(dir.resolve("img.gz"), gzip(imagesFile(pixels)));
        Path lab = write(dir.resolve("lab"), labelsFile(labels));

        LabeledImages set = LabeledImages.loadIdx(images, lab, List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));

        assertThat(set.size()).isEqualTo(12);
        assertThat(set.copyPixels()).isEqualTo(pixels);
        assertThat(set.copyLabels()).isEqualTo(labels);
        assertThat(set.label(3)).isEqualTo(7);
        assertThat(set.classNames().get(set.label(3))).isEqualTo("Sneaker");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = write(dir.resolve("img"), imagesFile(pixels(3, 5)));
        Path lab = write(dir.resolve("lab"), labelsFile(labels(4, 0)));

        assertThatThrownBy(() -> LabeledImages.loadIdx(images, lab, List.of()))
                .isInstanceOf(InputException.class)
                .hasMessage(images + " and " + lab + " do not match: 3 images but 4 labels");
    }

    @Test
    void isImmutable() {
        byte[] pixels = new byte[2 * 4];
        byte[] labels = {1, 2};
        LabeledImages set = LabeledImages.of(pixels, labels, 2, 2, List.of());

        pixels[0] = 9;
        labels[0] = 9;
        set.copyPixels()[1] = 9;

        assertThat(set.pixel(0, 0)).isZero();
        assertThat(set.pixel(0, 1)).isZero();
        assertThat(set.label(0)).isEqualTo(1);
        assertThat(set.pixels().isReadOnly()).isTrue();
        assertThat(set.labels().isReadOnly()).isTrue();
    }

    @Test
    void unlabeledSetsHaveNoLabels() {
        LabeledImages set = LabeledImages.of(new byte[4], null, 2, 2, List.of());

        assertThat(set.isLabeled()).isFalse();
        assertThatThrownBy(() -> set.label(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsInconsistentArguments() {
        assertThatThrownBy(() -> LabeledImages.of(new byte[5], null, 2, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabeledImages.of(new byte[8], new byte[] {1}, 2, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabeledImages.of(new byte[4], new byte[] {10}, 2, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sliceAndConcatMakeAResplit() {
        LabeledImages a = LabeledImages.of(new byte[] {1, 2, 3, 4}, new byte[] {1, 2}, 1, 2, List.of());
        LabeledImages b = LabeledImages.of(new byte[] {5, 6}, new byte[] {3}, 1, 2, List.of());

        LabeledImages all = a.concat(b);
        LabeledImages tail = all.slice(1, 3);

        assertThat(all.copyPixels()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(all.copyLabels()).containsExactly(1, 2, 3);
        assertThat(tail.copyPixels()).containsExactly(3, 4, 5, 6);
        assertThat(tail.copyLabels()).containsExactly(2, 3);
    }
}
