package org.cnn4j.model;

import java.util.List;
import java.util.concurrent.locks.Lock;
import org.cnn4j.internal.fusion.InferenceFusion;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.layers.Layer;
import org.cnn4j.tensor.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * Inference on a {@link Sequential} from one thread, as DJL's {@code Predictor}: an
 * {@link Layer#inferenceCopy() inference copy} of every layer, which shares the model's weights
 * (nothing is copied) and has activation buffers of its own. Give each thread its own
 * ({@link Sequential#predictor()}); or call {@link Sequential#predict(Tensor)}, which borrows an
 * idle one from the model's pool.
 *
 * <pre>{@code
 * Predictor p = model.predictor();              // e.g. once per worker thread
 * Tensor probabilities = p.predict(images);     // images [N, 1, 28, 28] -> [N, 10]
 * }</pre>
 *
 * <p>Results are bit-identical to {@link Sequential#predict(Tensor, int)} with the same batch size,
 * whatever the number of threads. Calls on one predictor run one at a time (they are synchronized:
 * a shared predictor is safe, but serial). Each call holds the model's weights read lock, so it sees
 * the weights of one moment: if the model is trained meanwhile ({@link Sequential#fit},
 * {@link Sequential#trainOnBatch}, {@link Sequential#setWeights(List)}), a call sees the weights as
 * they were before or after each whole training step, never a step half-applied, and the same
 * weights for every sample of the call; the next call sees the newer weights. A predictor never
 * stops seeing its model's weights: it holds no copy of its own.
 */
public final class Predictor {
    private final Sequential model;
    private final List<Layer> layers;
    private final int[] inputShape;
    private final int[] outShape;
    private final int outItem;
    private Tensor chunk;

    Predictor(Sequential model, List<Layer> layers, int[] inputShape, int[] outShape) {
        this.model = model;
        // a convolution and the max pooling after it run as one step, with the same bits
        this.layers = List.copyOf(InferenceFusion.apply(layers, Layer.class));
        this.inputShape = inputShape;
        this.outShape = outShape;
        this.outItem = Shapes.size(outShape);
    }

    /**
     * The model's outputs (class probabilities for a softmax classifier) for every sample, in
     * batches of 256.
     *
     * @param x inputs {@code [N, ...]} of the model's per-sample input shape
     * @return the outputs {@code [N, ...]}, a new tensor
     * @throws IllegalArgumentException if {@code x} does not have the model's input shape
     */
    public Tensor predict(Tensor x) {
        return predict(x, 256);
    }

    /**
     * Like {@link #predict(Tensor)}, in batches of {@code batchSize}.
     *
     * @param x inputs {@code [N, ...]} of the model's per-sample input shape
     * @param batchSize samples per forward pass (memory grows with it; results do not depend on it)
     * @return the outputs {@code [N, ...]}, a new tensor
     * @throws IllegalArgumentException if {@code x} does not have the model's input shape, or {@code batchSize < 1}
     */
    public synchronized Tensor predict(Tensor x, int batchSize) {
        ShapeCheck.batch("predict", x, inputShape);
        ShapeCheck.batchSize("predict", batchSize);
        // admitted first (with other predictions in flight, this one runs on its own thread: see
        // Parallel#call), then the weights: Sequential#predict takes them in this order too. The
        // other order deadlocked: a caller holding the read lock waited for admission, while the
        // admitted callers waited for the read lock behind a training step (the lock is fair), and
        // the training step waited for the first caller's read lock.
        return Parallel.call(() -> {
            Lock read = model.weightsReadLock();
            read.lock();
            try {
                return run(x, batchSize);
            } finally {
                read.unlock();
            }
        });
    }

    /** Predicts with the weights read-locked and the shapes checked by the caller. */
    private Tensor run(Tensor x, int batchSize) {
        int n = x.dim(0), item = x.itemSize();
        Tensor result = Tensor.zeros(Shapes.batched(n, outShape));
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            Tensor xb = x;
            if (count != n) {
                // a chunk of the input, into a buffer kept from call to call; layers never write to
                // their input, so a whole batch is used as is
                if (chunk == null || chunk.dim(0) != count) {
                    chunk = Tensor.zeros(Shapes.batched(count, inputShape));
                }
                xb = chunk;
                System.arraycopy(x.data(), from * item, xb.data(), 0, count * item);
            }
            Tensor out = forward(xb);
            System.arraycopy(out.data(), 0, result.data(), from * outItem, count * outItem);
        }
        return result;
    }

    /** The steps a forward pass runs: the layers, some of them fused (tests check which). */
    List<Layer> steps() {
        return layers;
    }

    /** One inference forward pass; the result is valid until the next. The caller holds the read lock. */
    Tensor forward(Tensor x) {
        Tensor t = x;
        for (Layer l : layers) {
            t = l.forward(t, false);
        }
        return t;
    }
}
