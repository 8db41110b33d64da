package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSetTest {
    @Test
    void bytesAreUnsignedAndFloatsPassThrough() {
        ImageSet b = ImageSet.ofBytes(new byte[] {0, (byte) 255, (byte) 128, 1}, new int[] {7}, 2, 2);
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.pixel(0, 0, 1)).isEqualTo(1f);
        assertThat(b.pixel(0, 1, 0)).isEqualTo(128 / 255f);
        assertThat(b.label(0)).isEqualTo(7);
        ImageSet f = ImageSet.ofFloats(new float[] {0.25f, 0.5f, 0.75f, 1f, 0, 0, 0, 0}, null, 2, 2);
        assertThat(f.size()).isEqualTo(2);
        assertThat(f.pixel(0, 1, 1)).isEqualTo(1f);
        assertThat(f.hasLabels()).isFalse();
        assertThat(f.label(1)).isEqualTo(-1);
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThatThrownBy(() -> ImageSet.ofBytes(new byte[5], null, 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSet.ofFloats(new float[8], new int[3], 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
