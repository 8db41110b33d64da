package org.cnn4j.mnist.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyTableTest {
    private static RunResult run(String preset, long seed, double val, double test) {
        return new RunResult(preset, seed, 30, 37_800, 4_200, 10_000, val, 0.02, test, 0.019, 21.5);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        // 0.9950, 0.9960, 0.9940: mean 0.9950, deviations +-0.001 and 0 -> sd sqrt(2e-6 / 2) = 0.001
        double[] ms = AccuracyTable.meanAndSd(new double[] {0.9950, 0.9960, 0.9940});
        assertThat(ms[0]).isCloseTo(0.9950, within(1e-12));
        assertThat(ms[1]).isCloseTo(0.0010, within(1e-12));
        assertThat(AccuracyTable.meanAndSd(new double[] {0.99})[1]).isNaN();
        assertThatThrownBy(() -> AccuracyTable.meanAndSd(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void markdownSummarisesEachPresetThenListsEveryRun() {
        List<RunResult> runs = List.of(run("default", 1, 0.9950, 0.9955), run("default", 2, 0.9960, 0.9945),
                run("default", 3, 0.9940, 0.9950), run("eps-inside", 1, 0.9930, 0.9940));
        String md = AccuracyTable.markdown("t", runs);
        assertThat(md).contains("| default | 3 | 99.500 ± 0.100 | 99.500 ± 0.050 | 50.0 |");
        assertThat(md).contains("| eps-inside | 1 | 99.300 | 99.400 | 60.0 |");
        assertThat(md).contains("| default | 2 | 30 | 37,800 / 4,200 / 10,000 | 99.60 | 99.45 |");
        assertThat(AccuracyTable.csv(runs).lines()).hasSize(5).first().isEqualTo(RunResult.CSV_HEADER);
    }

    @Test
    void aResultSurvivesItsFile() {
        RunResult r = run("keras-steps", 7, 0.99523809, 0.9951);
        assertThat(RunResult.parse(r.toProperties())).isEqualTo(new RunResult("keras-steps", 7, 30, 37_800, 4_200,
                10_000, 0.99523809, 0.02, 0.9951, 0.019, 21.5));
        assertThatThrownBy(() -> RunResult.parse("seed=1\n")).hasMessageContaining("missing field 'preset'");
    }

    @Test
    void presetsAddOneChangeEach() {
        assertThat(Preset.DEFAULT.trainOptions(37_800, 86)).isEmpty();
        assertThat(Preset.KERAS_STEPS.trainOptions(37_800, 86)).containsExactly("--steps-per-epoch", "439");
        assertThat(Preset.KERNEL_AUGMENT.trainOptions(37_800, 86))
                .containsExactly("--interpolation", "nearest", "--center", "keras2017");
        assertThat(Preset.EPS_INSIDE.trainOptions(37_800, 86)).containsExactly("--epsilon-inside-sqrt");
        assertThat(Preset.LEGACY_PATIENCE.trainOptions(37_800, 86)).containsExactly("--legacy-patience");
        assertThat(Preset.KERNEL_2017.trainOptions(37_800, 86)).containsExactly("--interpolation", "nearest",
                "--center", "keras2017", "--legacy-patience", "--steps-per-epoch", "439");
        assertThat(Preset.byId("kernel-2017")).isEqualTo(Preset.KERNEL_2017);
        assertThatThrownBy(() -> Preset.byId("fast")).hasMessageContaining("known: default, kernel-augment");
    }
}
