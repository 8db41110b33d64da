package org.cnn4j.mnist.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.BatchNormalization;
import org.cnn4j.layers.Buffer;
import org.cnn4j.layers.Dense;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint of a model with BatchNormalization brings back its moving statistics for {@code --resume}. */
class CheckpointBuffersTest {

    @Test
    void theMovingStatisticsComeBackFromACheckpoint(@TempDir Path dir) {
        Sequential m = new Sequential(5).seed(3).add(new Dense(4)).add(new BatchNormalization())
                .add(new Dense(2, Activation.SOFTMAX));
        m.compile(new RMSprop(1e-3), new org.cnn4j.loss.CategoricalCrossentropy());
        Tensor x = Tensor.zeros(12, 5);
        Rng r = new Rng(1);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.uniform(-1, 3);
        }
        TensorDataset train = new TensorDataset(x, TensorDataset.oneHot(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 2));
        History h = m.fit(train, new FitOptions().batchSize(4).epochs(1));
        List<float[]> before = m.buffers().stream().map(b -> b.value().data().clone()).toList();
        assertThat(before.get(0)).as("moving mean moved").doesNotContain(0f);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_accuracy", 0.5, 3);
        Map<String, String> meta = Checkpoint.metadata(m, train, plateau, h, Map.of("seed", "3"), "digest");
        Checkpoint.save(dir.resolve(Checkpoint.FILE), m, meta);

        Checkpoint.Saved saved = Checkpoint.load(dir);
        List<Buffer> after = saved.model().buffers();
        assertThat(after).hasSize(2);
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).value().data()).as(after.get(i).name()).isEqualTo(before.get(i));
        }
        assertThat(saved.model().predict(x).data()).isEqualTo(m.predict(x).data());
    }
}
