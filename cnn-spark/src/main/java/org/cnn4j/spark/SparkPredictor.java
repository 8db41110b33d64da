package org.cnn4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Sequential;

/**
 * Batch inference with a trained cnn4j digit model on a Spark {@code Dataset<Row>}.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/scans/");
 * Dataset<Row> scored = SparkPredictor.predict(images, ModelFile.load(Path.of("model.cnn4j")));
 * scored.select("path", "label", "probabilities", "error").write().parquet("scores.parquet");
 * }</pre>
 *
 * <p>The model travels to the executors once, as model-file bytes without optimizer state (a
 * broadcast variable); each executor JVM parses it on first use and keeps it, keyed by the bytes'
 * SHA-256. Each partition is scored as a stream of batches ({@link ScoringOptions#withBatchSize}).
 * An image is preprocessed exactly as cnn-mnist's {@code predict} command preprocesses a file, and
 * a row's results do not depend on how the dataset is partitioned.
 */
public final class SparkPredictor {
    private SparkPredictor() {
    }

    /**
     * {@link #predict(Dataset, Sequential, ScoringOptions)} with {@link ScoringOptions#defaults()}:
     * images in column {@code content}, as Spark's {@code binaryFile} source reads them.
     *
     * @param data the rows to score
     * @param model a model for 1x28x28 inputs with one output per class
     * @return {@code data}'s columns followed by {@code label}, {@code probabilities} and {@code error}
     * @throws IllegalArgumentException if the model or the dataset's columns do not fit
     */
    public static Dataset<Row> predict(Dataset<Row> data, Sequential model) {
        return predict(data, model, ScoringOptions.defaults());
    }

    /**
     * Scores every row of {@code data} (lazily: nothing runs until the result is used). Adds three
     * columns: the predicted class (int; the first of equal maxima), the model's outputs (array of
     * float) and an error message (string). A row whose image is missing, corrupt, blank or out of
     * range gets null in the first two and says why in the third; the job goes on.
     *
     * @param data the rows to score; see {@link ScoringOptions#withInputColumn} for the input forms
     * @param model a model for 1x28x28 inputs with one output per class; its optimizer state is not sent
     * @param options input column, batch size, threads per executor, output names
     * @return {@code data}'s columns followed by the three output columns
     * @throws IllegalArgumentException if the model is not for 1x28x28 inputs, if the dataset has no
     *     image column, or if it already has a column named like an output column
     * @throws UncheckedIOException if the model cannot be serialized
     */
    public static Dataset<Row> predict(Dataset<Row> data, Sequential model, ScoringOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        model.build();
        if (!Arrays.equals(model.inputShape(), new int[] {1, 28, 28}) || model.outputShape().length != 1) {
            throw new IllegalArgumentException("the model takes " + Arrays.toString(model.inputShape())
                    + " and outputs " + Arrays.toString(model.outputShape())
                    + "; scoring images needs a model for [1, 28, 28] inputs with one output per class");
        }
        StructType schema = data.schema();
        InputLayout layout = InputLayout.of(schema, options);
        for (String out : new String[] {options.labelColumn(), options.probabilitiesColumn(), options.errorColumn()}) {
            if (Arrays.asList(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException("the dataset already has a column " + out
                        + "; drop it or name the output columns with ScoringOptions.withOutputColumns");
            }
        }
        byte[] bytes;
        try {
            bytes = ModelFile.toBytes(model, false, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the model: " + e.getMessage(), e);
        }
        Broadcast<byte[]> shipped = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext())
                .broadcast(bytes);
        StructType outSchema = schema
                .add(options.labelColumn(), DataTypes.IntegerType, true)
                .add(options.probabilitiesColumn(), DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add(options.errorColumn(), DataTypes.StringType, true);
        return data.mapPartitions(new PartitionScorer(shipped, ExecutorModels.sha256(bytes), layout, options),
                Encoders.row(outSchema));
    }
}
