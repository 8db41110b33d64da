package org.cnn4j.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.image.DigitImagePreprocessor;
import org.cnn4j.tensor.Tensor;

/**
 * Scores one partition as a stream: reads at most a batch of rows, predicts the readable ones in one
 * network call, hands the batch's output rows on, and only then reads the next batch; a partition
 * is never held whole. A row whose image cannot be read gets a null label and probabilities and an
 * error message; the other rows of its batch are scored as usual.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String modelSha256;
    private final InputLayout layout;
    private final ScoringOptions options;

    PartitionScorer(Broadcast<byte[]> model, String modelSha256, InputLayout layout, ScoringOptions options) {
        this.model = model;
        this.modelSha256 = modelSha256;
        this.layout = layout;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ExecutorModels.Predictor predictor =
                ExecutorModels.get(modelSha256, model::value, options.threads()).predictor();
        TaskContext task = TaskContext.get();
        String partition = task == null ? "" : "partition " + task.partitionId() + " ";
        return new Batches(rows, predictor, partition);
    }

    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> in;
        private final ExecutorModels.Predictor predictor;
        private final String partition;
        private final DigitImagePreprocessor pre = new DigitImagePreprocessor();
        private final int batch = options.batchSize();
        private final Row[] rows = new Row[batch];
        private final float[][] inputs = new float[batch][];
        private final String[] errors = new String[batch];
        // Index of row i among the batch's readable rows: rows in error are not sent to the network.
        private final int[] slots = new int[batch];
        private float[] scores;
        private int classes;
        private int count;
        private int next;
        private long position;

        Batches(Iterator<Row> in, ExecutorModels.Predictor predictor, String partition) {
            this.in = in;
            this.predictor = predictor;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            if (next < count) {
                return true;
            }
            fill();
            return count > 0;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = next++;
            Row r = rows[i];
            Object[] out = new Object[r.length() + 3];
            for (int c = 0; c < r.length(); c++) {
                out[c] = r.get(c);
            }
            if (errors[i] == null) {
                float[] p = new float[classes];
                System.arraycopy(scores, slots[i] * classes, p, 0, classes);
                out[r.length()] = argmax(p);
                out[r.length() + 1] = p;
            } else {
                out[r.length() + 2] = errors[i];
            }
            rows[i] = null; // the row's image can go
            inputs[i] = null;
            return RowFactory.create(out);
        }

        private void fill() {
            count = 0;
            next = 0;
            int readable = 0;
            while (count < batch && in.hasNext()) {
                Row r = in.next();
                rows[count] = r;
                try {
                    inputs[count] = layout.read(r, pre, partition + "row " + position);
                    errors[count] = null;
                    slots[count] = readable++;
                } catch (RuntimeException e) {
                    // A bad image is the row's problem, not the job's: InputException names the row;
                    // anything else a decoder throws is worded with its type.
                    inputs[count] = null;
                    errors[count] = e instanceof InputException ? e.getMessage()
                            : partition + "row " + position + ": " + e;
                }
                position++;
                count++;
            }
            if (readable == 0) {
                return;
            }
            Tensor x = Tensor.zeros(readable, 1, 28, 28);
            for (int i = 0; i < count; i++) {
                if (errors[i] == null) {
                    System.arraycopy(inputs[i], 0, x.data(), slots[i] * InputLayout.PIXELS, InputLayout.PIXELS);
                }
            }
            scores = predictor.predict(x);
            classes = scores.length / readable;
        }
    }

    /** The first index of the largest value, as cnn-mnist's predict and submit choose. */
    static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
