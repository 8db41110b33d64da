package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The executor-side cache and the concurrency seam, without Spark. */
class ExecutorModelsTest {
    @Test
    void aModelIsFetchedOnceAndTasksOnManyThreadsShareItBitForBit() throws Exception {
        Sequential model = TestData.model();
        byte[] bytes = ModelFile.toBytes(model, false, Map.of());
        String key = ExecutorModels.sha256(bytes);
        AtomicInteger fetched = new AtomicInteger();
        Tensor x = noise(5);
        float[] want = model.predict(x).data();

        ExecutorModels.Loaded a = ExecutorModels.get(key, () -> {
            fetched.incrementAndGet();
            return bytes;
        }, 0);
        ExecutorModels.Loaded b = ExecutorModels.get(key, () -> {
            fetched.incrementAndGet();
            return bytes;
        }, 0);
        assertThat(b).isSameAs(a);
        assertThat(fetched).hasValue(1);

        // eight tasks at once on the one shared model, as an executor with eight task slots runs them
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<CompletableFuture<float[]>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 32; t++) {
                runs.add(CompletableFuture.supplyAsync(() -> a.predictor().predict(x), pool));
            }
            for (CompletableFuture<float[]> r : runs) {
                assertThat(r.get()).containsExactly(want);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bytesThatDoNotMatchTheirHashAreRefused() throws Exception {
        byte[] bytes = ModelFile.toBytes(TestData.model(), false, Map.of());
        assertThatThrownBy(() -> ExecutorModels.get("00" + ExecutorModels.sha256(bytes).substring(2), () -> bytes, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model bytes hash to");
    }

    @Test
    void optionsRefuseNonsense() {
        assertThatThrownBy(() -> ScoringOptions.defaults().withBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScoringOptions.defaults().withThreads(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScoringOptions.defaults().withOutputColumns("a", "b", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three different names");
        assertThatThrownBy(() -> ScoringOptions.defaults().withInputColumn(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ScoringOptions.defaults().withOutputColumns("y", "p", "e").labelColumn()).isEqualTo("y");
    }

    private static Tensor noise(int n) {
        Rng r = new Rng(3);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        return x;
    }
}
