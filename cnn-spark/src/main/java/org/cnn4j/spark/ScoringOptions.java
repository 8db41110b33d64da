package org.cnn4j.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * How {@link SparkPredictor} reads its input and names its output. Immutable: every {@code with}
 * method returns a copy. Serializable, because Spark ships it to the executors with the task.
 *
 * <p>Defaults: images in column {@code content} (what Spark's {@code binaryFile} source reads),
 * error messages naming the row by its {@code path} column when there is one, batches of 256
 * images, cnn4j's own kernel thread count, output columns {@code label}, {@code probabilities},
 * {@code error}.
 */
public final class ScoringOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String inputColumn;
    private final String sourceColumn;
    private final int batchSize;
    private final int threads;
    private final String labelColumn;
    private final String probabilitiesColumn;
    private final String errorColumn;

    private ScoringOptions(String inputColumn, String sourceColumn, int batchSize, int threads, String labelColumn,
            String probabilitiesColumn, String errorColumn) {
        this.inputColumn = inputColumn;
        this.sourceColumn = sourceColumn;
        this.batchSize = batchSize;
        this.threads = threads;
        this.labelColumn = labelColumn;
        this.probabilitiesColumn = probabilitiesColumn;
        this.errorColumn = errorColumn;
    }

    /**
     * The defaults described above.
     *
     * @return options with every default
     */
    public static ScoringOptions defaults() {
        return new ScoringOptions("content", "path", 256, 0, "label", "probabilities", "error");
    }

    /**
     * The column holding the images: binary (PNG, JPEG, BMP or GIF bytes), an array of 784 pixel
     * values 0..255 (row-major 28x28, ink bright, as in a Kaggle CSV row), or a string holding such a
     * row as comma-separated text (a line of Kaggle's test.csv, as {@code spark.read().text()} reads
     * it). When the dataset has no such column but has Kaggle's columns {@code pixel0..pixel783}
     * (test.csv read by Spark's CSV source with its header), those are read instead.
     *
     * @param column a column name
     * @return a copy with the input column changed
     */
    public ScoringOptions withInputColumn(String column) {
        return new ScoringOptions(name(column), sourceColumn, batchSize, threads, labelColumn, probabilitiesColumn,
                errorColumn);
    }

    /**
     * The column whose value names a row in error messages (such as a file path or an id); rows are
     * named by partition and position when the dataset has no such column.
     *
     * @param column a column name
     * @return a copy with the source column changed
     */
    public ScoringOptions withSourceColumn(String column) {
        return new ScoringOptions(inputColumn, name(column), batchSize, threads, labelColumn, probabilitiesColumn,
                errorColumn);
    }

    /**
     * How many images go through the network at once; a partition is read this many rows at a time,
     * so it bounds an executor's memory, never the partition's size.
     *
     * @param size at least 1
     * @return a copy with the batch size changed
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public ScoringOptions withBatchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        return new ScoringOptions(inputColumn, sourceColumn, size, threads, labelColumn, probabilitiesColumn,
                errorColumn);
    }

    /**
     * The number of threads cnn4j's kernels use in each executor JVM, for all the tasks it runs
     * (0 keeps cnn4j's default: the system property {@code cnn4j.threads}, else the JVM's cores).
     * With {@code spark.executor.cores = C}, C tasks run at once in an executor; {@code threads = 1}
     * then lets each task use one core.
     *
     * @param threads 0, or at least 1
     * @return a copy with the thread count changed
     * @throws IllegalArgumentException if {@code threads < 0}
     */
    public ScoringOptions withThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (cnn4j's default) or more, got " + threads);
        }
        return new ScoringOptions(inputColumn, sourceColumn, batchSize, threads, labelColumn, probabilitiesColumn,
                errorColumn);
    }

    /**
     * Names the three output columns.
     *
     * @param label the predicted class (int, null for a row in error)
     * @param probabilities the model's outputs (array of float, null for a row in error)
     * @param error why the row could not be scored (string, null for a scored row)
     * @return a copy with the output names changed
     * @throws IllegalArgumentException if a name is blank or two names are the same
     */
    public ScoringOptions withOutputColumns(String label, String probabilities, String error) {
        if (name(label).equals(name(probabilities)) || label.equals(name(error)) || probabilities.equals(error)) {
            // one column each: a name used twice would silently overwrite a result
            throw new IllegalArgumentException("the output columns need three different names, got " + label + ", "
                    + probabilities + ", " + error);
        }
        return new ScoringOptions(inputColumn, sourceColumn, batchSize, threads, label, probabilities, error);
    }

    /**
     * The input column's name.
     *
     * @return the input column's name
     */
    public String inputColumn() {
        return inputColumn;
    }

    /**
     * The name of the column that names rows in error messages.
     *
     * @return the name of the column that names rows in error messages
     */
    public String sourceColumn() {
        return sourceColumn;
    }

    /**
     * The number of images per network call.
     *
     * @return the number of images per network call
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The kernel threads per executor JVM, 0 for cnn4j's default.
     *
     * @return the kernel threads per executor JVM, 0 for cnn4j's default
     */
    public int threads() {
        return threads;
    }

    /**
     * The name of the predicted-class column.
     *
     * @return the name of the predicted-class column
     */
    public String labelColumn() {
        return labelColumn;
    }

    /**
     * The name of the probabilities column.
     *
     * @return the name of the probabilities column
     */
    public String probabilitiesColumn() {
        return probabilitiesColumn;
    }

    /**
     * The name of the error column.
     *
     * @return the name of the error column
     */
    public String errorColumn() {
        return errorColumn;
    }

    private static String name(String column) {
        Objects.requireNonNull(column, "column");
        if (column.isBlank()) {
            throw new IllegalArgumentException("a column name cannot be blank");
        }
        return column;
    }

    @Override
    public String toString() {
        return "ScoringOptions[input=" + inputColumn + ", source=" + sourceColumn + ", batchSize=" + batchSize
                + ", threads=" + threads + ", output=" + labelColumn + "/" + probabilitiesColumn + "/" + errorColumn
                + "]";
    }
}
