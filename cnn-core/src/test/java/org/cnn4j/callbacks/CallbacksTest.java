package org.cnn4j.callbacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Dense;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** EarlyStopping and ModelCheckpoint driven by scripted metric histories. */
class CallbacksTest {

    private static Sequential model() {
        Sequential m = new Sequential(3).seed(1).add(new Dense(2));
        m.compile(new RMSprop(1e-3), null);
        return m;
    }

    /** Perturbs the weights so that each epoch leaves a distinguishable model. */
    private static void nudge(Sequential m, float v) {
        List<Tensor> w = m.getWeights();
        w.get(0).data()[0] = v;
        m.setWeights(w);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Sequential m = model();
        EarlyStopping es = new EarlyStopping("val_loss", 2).restoreBestWeights(true);
        es.onTrainBegin(m, 10, 1);
        double[] losses = {0.9, 0.5, 0.6, 0.7, 0.4};
        int e = 0;
        for (; e < losses.length && !m.stopRequested(); e++) {
            nudge(m, e);
            es.onEpochEnd(e, Map.of("val_loss", losses[e]));
        }
        assertThat(e).as("stops after two epochs without improving on 0.5").isEqualTo(4);
        assertThat(es.stoppedEpoch()).isEqualTo(3);
        es.onTrainEnd(new History());
        assertThat(m.getWeights().get(0).data()[0]).as("weights of epoch 1, the best").isEqualTo(1f);
    }

    @Test
    void earlyStoppingWithoutRestoreKeepsTheLastWeights() {
        Sequential m = model();
        EarlyStopping es = new EarlyStopping("val_accuracy", 1);
        es.onTrainBegin(m, 10, 1);
        nudge(m, 7);
        es.onEpochEnd(0, Map.of("val_accuracy", 0.9));
        nudge(m, 8);
        es.onEpochEnd(1, Map.of("val_accuracy", 0.8));
        assertThat(m.stopRequested()).isTrue();
        es.onTrainEnd(new History());
        assertThat(m.getWeights().get(0).data()[0]).isEqualTo(8f);
    }

    @Test
    void modelCheckpointSavesOnlyImprovementsWhenAsked(@TempDir Path dir) throws Exception {
        Sequential m = model();
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("best.cnn4j"), "val_accuracy").saveBestOnly(true);
        cp.onTrainBegin(m, 3, 1);
        nudge(m, 1);
        cp.onEpochEnd(0, Map.of("val_accuracy", 0.8));
        nudge(m, 2);
        cp.onEpochEnd(1, Map.of("val_accuracy", 0.7));
        assertThat(ModelFile.load(dir.resolve("best.cnn4j")).getWeights().get(0).data()[0]).isEqualTo(1f);
        nudge(m, 3);
        cp.onEpochEnd(2, Map.of("val_accuracy", 0.85));
        assertThat(ModelFile.load(dir.resolve("best.cnn4j")).getWeights().get(0).data()[0]).isEqualTo(3f);
    }

    @Test
    void modelCheckpointNumbersEpochsLikeKeras(@TempDir Path dir) {
        Sequential m = model();
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("m-{epoch}.cnn4j"), "loss");
        cp.onTrainBegin(m, 2, 1);
        cp.onEpochEnd(0, Map.of("loss", 1.0));
        cp.onEpochEnd(1, Map.of("loss", 2.0));
        assertThat(dir.resolve("m-1.cnn4j")).isRegularFile();
        assertThat(dir.resolve("m-2.cnn4j")).isRegularFile();
        assertThat(Files.exists(dir.resolve("m-01.cnn4j"))).isFalse();
    }
}
