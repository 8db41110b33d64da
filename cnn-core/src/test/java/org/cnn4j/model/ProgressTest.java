package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** fit's Keras-like verbose levels, written where the caller asks. */
class ProgressTest {

    private static TensorDataset data() {
        Rng r = new Rng(5);
        Tensor x = Tensor.zeros(40, 4);
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x.data()[i * 4 + j] = (float) r.uniform(-1, 1) + (j == labels[i] ? 1 : 0);
            }
        }
        return new TensorDataset(x, TensorDataset.oneHot(labels, 3));
    }

    private static String fit(FitOptions o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Sequential m = new Sequential(4).seed(1).add(new Dense(3, Activation.SOFTMAX));
        m.compile(new SGD(0.1), new CategoricalCrossentropy());
        TensorDataset d = data();
        m.fit(d, o.batchSize(8).epochs(2).validation(d).progressTo(ps, terminal));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Whether {@link #fit} tells the options its stream is a terminal. */
    private static boolean terminal;

    @Test
    void verboseZeroPrintsNothing() {
        terminal = false;
        assertThat(fit(new FitOptions().verbose(0))).isEmpty();
    }

    @Test
    void verboseTwoPrintsOneLinePerEpoch() {
        terminal = false;
        List<String> lines = fit(new FitOptions().verbose(2)).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("Epoch 1/2 - \\d+:\\d\\d - \\d+ img/s - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}"
                + " - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4} - lr: 1\\.00e-01");
        assertThat(lines.get(1)).startsWith("Epoch 2/2 - ");
    }

    @Test
    void verboseOneOnATerminalDrawsABarInPlaceThenTheMetrics() {
        terminal = true;
        String s = fit(new FitOptions()); // verbose 1 is the default, as in Keras
        assertThat(s).startsWith("Epoch 1/2\n\r");
        assertThat(s).contains("5/5 [==============================]").contains(" img/s - ETA ").contains(" - loss: ");
        assertThat(s).contains("\r\033[Kloss: ").contains(" - val_accuracy: ").contains("Epoch 2/2\n");
    }

    @Test
    void verboseOneElsewherePrintsPlainLines() {
        terminal = false;
        List<String> lines = fit(new FitOptions().verbose(1)).lines().toList();
        // the first batch, then no 15 s pass in this run: then only the epoch's metrics
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("Epoch 1/2");
        assertThat(lines.get(1)).matches("  1/5 - +\\d+ img/s - ETA \\d+:\\d\\d - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}");
        assertThat(lines.get(2)).startsWith("loss: ").contains(" - val_loss: ").doesNotContain("\r");
        assertThat(lines.get(3)).isEqualTo("Epoch 2/2");
    }

    @Test
    void plainProgressLinesComeAtTheirInterval() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 1, 0);
        p.onTrainBegin(null, 3, 4);
        p.onEpochBegin(0);
        p.onBatchEnd(0, new BatchStats(1, 4, 10, 0.5, 0.25, 100, 0.1));
        p.onBatchEnd(0, new BatchStats(2, 4, 20, 0.4, 0.5, 100, 0.2));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly("Epoch 1/3",
                "  1/4 -  100 img/s - ETA 0:00 - loss: 0.5000 - accuracy: 0.2500",
                "  2/4 -  100 img/s - ETA 0:00 - loss: 0.4000 - accuracy: 0.5000");
        assertThat(Progress.time(3725)).isEqualTo("1:02:05");
        assertThat(Progress.time(65)).isEqualTo("1:05");
    }

    @Test
    void aBadLevelIsRefused() {
        assertThatThrownBy(() -> new FitOptions().verbose(3)).hasMessage("verbose must be 0, 1 or 2, got 3");
    }
}
