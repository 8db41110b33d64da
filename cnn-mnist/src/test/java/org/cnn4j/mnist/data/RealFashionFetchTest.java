package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Real Fashion-MNIST through the default sources (on Debian: the installed package, or
 * {@code apt-get download dataset-fashion-mnist}, 31 MB), into {@code $CNN4J_FASHION_DATA} or
 * {@code ~/.cache/cnn4j/fashion-mnist}. Opt-in with {@code CNN4J_FETCH_FASHION=1}: it needs a
 * Debian mirror, and nothing else in the build needs Fashion-MNIST.
 */
@Tag("network")
@EnabledIfEnvironmentVariable(named = "CNN4J_FETCH_FASHION", matches = "1")
class RealFashionFetchTest {
    @Test
    void fetchesRealFashionMnist() {
        Path cache = IdxDataset.FASHION.defaultCacheDir();

        FetchResult result = new MnistFetcher(System.out::println)
                .fetch(IdxDataset.FASHION, cache, IdxDataset.FASHION.defaultSources());

        assertThat(result.sources()).hasSize(4);
        LabeledImages train = IdxDataset.FASHION.loadTrain(cache);
        LabeledImages test = IdxDataset.FASHION.loadTest(cache);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        // The first training image is an ankle boot, the first test image too.
        assertThat(train.classNames().get(train.label(0))).isEqualTo("Ankle boot");
        assertThat(test.classNames().get(test.label(0))).isEqualTo("Ankle boot");
    }
}
