package org.cnn4j.mnist.train;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnn4j.data.Dataset;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.mnist.augment.Augmenter;
import org.cnn4j.mnist.data.LabeledImages;

/**
 * A training or validation view of labelled grey images kept as bytes (a 60k MNIST set is 47 MB,
 * a quarter of it as floats): pixels are scaled by 1/255 into the batch as it is filled, and
 * optionally augmented there.
 *
 * <p>Augmentation draws one seed per image from the dataset's own random stream, in batch order,
 * and each image is then warped on any thread from its own seed; so the result does not depend
 * on the thread count and the stream can be checkpointed.
 */
public final class ImageDataset implements Dataset {
    private final LabeledImages images;
    private final int[] indices;
    private final Augmenter augmenter;
    private final Rng rng;
    private final int rows;
    private final int cols;
    private final ByteBuffer pixels;
    private long[] seeds = new long[0];
    private float[][] scratch = new float[0][];

    /** The images at {@code indices} (all when null), augmented with {@code augmenter} if not null. */
    public ImageDataset(LabeledImages images, int[] indices, Augmenter augmenter, long seed) {
        if (!images.isLabeled()) {
            throw new IllegalArgumentException("training needs labelled images");
        }
        this.images = images;
        this.indices = indices != null ? indices.clone() : identity(images.size());
        this.augmenter = augmenter;
        this.rng = new Rng(seed);
        this.rows = images.rows();
        this.cols = images.cols();
        this.pixels = images.pixels();
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The underlying images. */
    public LabeledImages images() {
        return images;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {1, rows, cols};
    }

    @Override
    public int numClasses() {
        return LabeledImages.CLASSES;
    }

    @Override
    public int label(int i) {
        return images.label(indices[i]);
    }

    @Override
    public void batch(int[] order, int from, int count, float[] x, float[] y) {
        int size = rows * cols, k = numClasses();
        java.util.Arrays.fill(y, 0, count * k, 0f);
        for (int i = 0; i < count; i++) {
            y[i * k + label(order[from + i])] = 1f;
        }
        if (augmenter == null) {
            for (int i = 0; i < count; i++) {
                toFloats(indices[order[from + i]], x, i * size);
            }
            return;
        }
        if (seeds.length < count) {
            seeds = new long[count];
        }
        for (int i = 0; i < count; i++) {
            seeds[i] = rng.nextLong();
        }
        int threads = Parallel.threads();
        if (scratch.length < threads) {
            scratch = new float[threads][size];
        }
        long[] s = seeds;
        float[][] tmp = scratch;
        Parallel.forEach(count, (i, worker) -> {
            float[] plain = tmp[worker];
            toFloats(indices[order[from + i]], plain, 0);
            augmenter.augment(plain, 0, x, i * size, rows, cols, new Rng(s[i]));
        });
    }

    private void toFloats(int image, float[] dst, int off) {
        int size = rows * cols, base = image * size;
        for (int p = 0; p < size; p++) {
            dst[off + p] = (pixels.get(base + p) & 0xFF) * (1f / 255f);
        }
    }

    @Override
    public List<Rng> randomStreams() {
        return List.of(rng);
    }
}
