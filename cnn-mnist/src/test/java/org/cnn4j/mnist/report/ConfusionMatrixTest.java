package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    // true:      0 0 0 1 1 2 2 2
    // predicted: 0 0 1 1 2 2 2 0
    private static final int[] TRUE = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final int[] PRED = {0, 0, 1, 1, 2, 2, 2, 0};

    @Test
    void countsRowsAsTrueAndColumnsAsPredicted() {
        ConfusionMatrix m = ConfusionMatrix.of(TRUE, PRED, 3);
        assertThat(m.counts()).isDeepEqualTo(new int[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 2}});
        assertThat(m.total()).isEqualTo(8);
        assertThat(m.accuracy()).isEqualTo(5 / 8.0);
        assertThat(m.precision(0)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.recall(0)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.precision(1)).isEqualTo(0.5);
        assertThat(m.recall(1)).isEqualTo(0.5);
        assertThat(m.precision(2)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.support(2)).isEqualTo(3);
    }

    @Test
    void classesWithoutSamplesOrPredictionsHaveNoPrecisionOrRecall() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0}, new int[] {0, 0}, 2);
        assertThat(m.precision(1)).isNaN();
        assertThat(m.recall(1)).isNaN();
        assertThat(m.toReport(null)).contains("1              -          -          0");
        assertThat(ConfusionMatrix.ofCounts(new int[2][2]).accuracy()).isNaN();
    }

    @Test
    void textTableIsAligned() {
        String table = ConfusionMatrix.of(TRUE, PRED, 3).toTable(new String[] {"zero", "one", "two"});
        assertThat(table).isEqualTo("""
                true \\ pred 0 1 2
                0 zero      2 1 0
                1 one       0 1 1
                2 two       1 0 2
                """);
    }

    @Test
    void reportListsPrecisionRecallAndAccuracy() {
        String report = ConfusionMatrix.of(TRUE, PRED, 3).toReport(null);
        assertThat(report).isEqualTo("""
                class  precision     recall    support
                0         66.67%     66.67%          3
                1         50.00%     50.00%          2
                2         66.67%     66.67%          3
                accuracy: 62.50% (5 of 8)
                """);
    }

    @Test
    void rejectsLabelsOutOfRangeAndMismatchedInputs() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 10}, new int[] {0, 1}, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1");
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.ofCounts(new int[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.of(TRUE, PRED, 3).toTable(new String[] {"a"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
