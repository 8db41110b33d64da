package org.cnn4j.mnist.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AugmentConfigTest {
    @Test
    void kaggleKernelPresetsMatchTheKerasGenerator() {
        AugmentConfig modern = AugmentConfig.kaggleKernel();
        assertThat(modern.rotationRange()).isEqualTo(10);
        assertThat(modern.widthShiftRange()).isEqualTo(0.1);
        assertThat(modern.heightShiftRange()).isEqualTo(0.1);
        assertThat(modern.zoomLow()).isEqualTo(0.9);
        assertThat(modern.zoomHigh()).isEqualTo(1.1);
        assertThat(modern.interpolation()).isEqualTo(Interpolation.BILINEAR);
        assertThat(modern.center()).isEqualTo(CenterConvention.CORRECT);

        AugmentConfig old = AugmentConfig.kaggleKernel2017();
        assertThat(old.interpolation()).isEqualTo(Interpolation.NEAREST);
        assertThat(old.center()).isEqualTo(CenterConvention.KERAS_2017);
        assertThat(old.rotationRange()).isEqualTo(10);
        assertThat(old.zoomHigh()).isEqualTo(1.1);
    }

    @Test
    void centresFollowBothConventions() {
        assertThat(CenterConvention.CORRECT.center(28)).isEqualTo(13.5);
        assertThat(CenterConvention.KERAS_2017.center(28)).isEqualTo(14.5);
    }

    @Test
    void builderDefaultsToTheIdentity() {
        AugmentConfig none = AugmentConfig.builder().build();
        assertThat(none.zoomDisabled()).isTrue();
        assertThat(none.rotationRange()).isZero();
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> AugmentConfig.builder().rotationRange(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotationRange");
        assertThatThrownBy(() -> AugmentConfig.builder().widthShiftRange(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widthShiftRange");
        assertThatThrownBy(() -> AugmentConfig.builder().heightShiftRange(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AugmentConfig.builder().zoomRange(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zoom");
        assertThatThrownBy(() -> AugmentConfig.builder().zoomRange(1.2, 1.1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
