/**
 * The data layer of the Kaggle "Digit Recognizer" pipeline: getting, checking and converting the
 * images, with every user mistake reported as a one-line {@link org.cnn4j.mnist.InputException}
 * that names the file and the place.
 *
 * <ul>
 *   <li>{@link org.cnn4j.mnist.data.MnistFetcher} puts the four IDX files of a
 *       {@link org.cnn4j.mnist.data.IdxDataset} (MNIST or Fashion-MNIST) into a cache directory,
 *       verified against compiled-in SHA-256 hashes, trying the cache, then each
 *       {@link org.cnn4j.mnist.data.DataSource} in turn. The cache is {@code $CNN4J_DATA} or
 *       {@code ~/.cache/cnn4j/mnist} for MNIST, {@code $CNN4J_FASHION_DATA} or
 *       {@code ~/.cache/cnn4j/fashion-mnist} for Fashion-MNIST.</li>
 *   <li>{@link org.cnn4j.mnist.data.IdxReader} reads IDX files, raw or gzipped, into
 *       {@link org.cnn4j.mnist.data.LabeledImages}, the immutable holder of pixels and labels.</li>
 *   <li>{@link org.cnn4j.mnist.data.KaggleCsv} reads Kaggle's train.csv and test.csv;
 *       {@link org.cnn4j.mnist.data.KaggleCsvWriter} writes them from IDX data and
 *       {@link org.cnn4j.mnist.data.Submission} writes a submission, both atomically through
 *       {@link org.cnn4j.mnist.data.OutputFiles}.</li>
 * </ul>
 */
package org.cnn4j.mnist.data;
