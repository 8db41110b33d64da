package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvTest {
    @TempDir
    Path dir;

    @Test
    void formatsOneRowPerEpochWithKerasColumnNames() {
        EpochMetrics h = EpochMetrics.empty()
                .withEpoch(0.25, 0.9, 0.125, 0.95, 1e-3)
                .withEpoch(0.1, 0.97, Double.NaN, Double.NaN, 5e-4);
        assertThat(HistoryCsv.format(h)).isEqualTo("""
                epoch,loss,accuracy,val_loss,val_accuracy,lr
                1,0.25,0.9,0.125,0.95,0.001
                2,0.1,0.97,,,5.0E-4
                """);
    }

    @Test
    void writesAtomically() throws Exception {
        Path f = dir.resolve("history.csv");
        HistoryCsv.write(EpochMetrics.empty().withEpoch(1, 0.5, 1, 0.5, 0.001), f);
        assertThat(f).hasContent(HistoryCsv.HEADER + "\n1,1.0,0.5,1.0,0.5,0.001");
        HistoryCsv.write(EpochMetrics.empty(), f);
        assertThat(f).hasContent(HistoryCsv.HEADER);
        Pngs.assertNoTempFiles(dir);
    }

    @Test
    void historyIsImmutableAndChecksLengths() {
        double[] loss = {1, 2};
        EpochMetrics h = new EpochMetrics(loss, new double[2], new double[2], new double[2], new double[2]);
        loss[0] = 99;
        assertThat(h.loss()[0]).isEqualTo(1);
        h.loss()[1] = 99;
        assertThat(h.loss()[1]).isEqualTo(2);
        assertThat(h.epochs()).isEqualTo(2);
        assertThat(h).isEqualTo(new EpochMetrics(new double[] {1, 2}, new double[2], new double[2], new double[2],
                new double[2]));
        assertThatThrownBy(() -> new EpochMetrics(new double[2], new double[1], new double[2], new double[2],
                new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accuracy 1");
    }
}
