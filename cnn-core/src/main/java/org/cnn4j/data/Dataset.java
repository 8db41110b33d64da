package org.cnn4j.data;

import java.util.List;
import org.cnn4j.init.Rng;

/**
 * Labelled samples that training reads batch by batch. An implementation may store pixels however
 * it likes (bytes, files) and may transform them on the way out (augmentation); it only has to
 * write floats into the batch buffers it is given.
 */
public interface Dataset {
    /**
     * The number of samples.
     *
     * @return the sample count
     */
    int size();

    /**
     * The per-sample shape, such as {@code [1, 28, 28]}.
     *
     * @return the shape of one sample, without the batch dimension
     */
    int[] sampleShape();

    /**
     * The number of classes, i.e. the width of a one-hot target.
     *
     * @return the class count
     */
    int numClasses();

    /**
     * The per-sample shape of the targets {@link #batch} writes: {@code [numClasses()]} one-hot rows
     * unless the dataset says otherwise ({@code [1]} for integer labels or one binary target, any
     * shape for regression).
     *
     * @return a new array holding the per-sample target shape
     */
    default int[] targetShape() {
        return new int[] {numClasses()};
    }

    /**
     * The class of sample {@code i}.
     *
     * @param i the sample index, from 0
     * @return the class, in {@code [0, numClasses())}
     */
    int label(int i);

    /**
     * Writes samples {@code indices[from .. from+count)} into {@code x} (count times the sample
     * size, in order) and their targets into {@code y} (count times the size of {@link #targetShape()}:
     * one-hot rows by default).
     *
     * @param indices sample indices (an epoch's order)
     * @param from the first position in {@code indices}
     * @param count how many samples to write
     * @param x the input buffer, at least {@code count} samples long
     * @param y the target buffer, at least {@code count} times the size of {@link #targetShape()} long
     */
    void batch(int[] indices, int from, int count, float[] x, float[] y);

    /**
     * Random streams the dataset draws from (augmentation), for checkpoints; none by default.
     *
     * @return the streams, in a fixed order
     */
    default List<Rng> randomStreams() {
        return List.of();
    }
}
