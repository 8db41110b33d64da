package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.data.Dataset;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.optim.RMSprop;
import org.junit.jupiter.api.Test;

/**
 * {@link FitOptions#stepsPerEpoch}: batches drawn as Keras's {@code fit_generator} drew them from
 * {@code ImageDataGenerator.flow} (Keras 2.0.8 {@code Iterator._flow_index}): 10 samples in batches
 * of 4 make passes of 4, 4, 2, and with 2 steps per epoch the pass boundaries drift across epochs.
 */
class StepsPerEpochTest {

    /** Ten 4-feature samples that record which indices every batch asked for. */
    static final class Recording implements Dataset {
        final List<int[]> batches = new ArrayList<>();

        @Override
        public int size() {
            return 10;
        }

        @Override
        public int[] sampleShape() {
            return new int[] {4};
        }

        @Override
        public int numClasses() {
            return 10;
        }

        @Override
        public int label(int i) {
            return i;
        }

        @Override
        public void batch(int[] indices, int from, int count, float[] x, float[] y) {
            batches.add(Arrays.copyOfRange(indices, from, from + count));
            Arrays.fill(y, 0, count * 10, 0f);
            for (int i = 0; i < count; i++) {
                int s = indices[from + i];
                for (int f = 0; f < 4; f++) {
                    x[i * 4 + f] = ((s * 7 + f * 3) % 11) / 11f;
                }
                y[i * 10 + s] = 1;
            }
        }
    }

    private static Sequential model() {
        Sequential m = new Sequential(4).seed(5).add(new Dense(10, Activation.SOFTMAX));
        m.compile(new RMSprop(1e-3), new CategoricalCrossentropy());
        return m;
    }

    private static List<int[]> run(int initialEpoch, int epochs) {
        Recording data = new Recording();
        model().fit(data, new FitOptions().batchSize(4).epochs(epochs).initialEpoch(initialEpoch).stepsPerEpoch(2));
        return data.batches;
    }

    @Test
    void passesRunOnAcrossEpochsWithAPartialLastBatch() {
        List<int[]> b = run(0, 5);
        assertThat(b).hasSize(10);
        // three passes of 4, 4, 2 plus the first batch of a fourth, cut into epochs of 2 steps
        assertThat(b).extracting(a -> a.length).containsExactly(4, 4, 2, 4, 4, 2, 4, 4, 2, 4);
        for (int pass = 0; pass < 3; pass++) {
            int[] seen = new int[10];
            for (int s = pass * 3; s < pass * 3 + 3; s++) {
                for (int i : b.get(s)) {
                    seen[i]++;
                }
            }
            assertThat(seen).as("pass %d uses every sample once", pass).containsOnly(1);
        }
        assertThat(concat(b, 0, 3)).as("each pass is a fresh permutation").isNotEqualTo(concat(b, 3, 6));
    }

    @Test
    void aResumedRunDrawsTheBatchesAnUninterruptedOneWould() {
        List<int[]> whole = run(0, 5);
        List<int[]> resumed = run(3, 5);
        assertThat(resumed).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(resumed.get(i)).isEqualTo(whole.get(6 + i));
        }
    }

    @Test
    void withoutStepsPerEpochEveryEpochIsOneWholePass() {
        Recording data = new Recording();
        model().fit(data, new FitOptions().batchSize(4).epochs(2));
        assertThat(data.batches).extracting(a -> a.length).containsExactly(4, 4, 2, 4, 4, 2);
    }

    private static int[] concat(List<int[]> b, int from, int to) {
        return b.subList(from, to).stream().flatMapToInt(Arrays::stream).toArray();
    }
}
