package org.cnn4j.mnist.serve;

import java.util.concurrent.locks.ReentrantLock;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The one place the server runs the model: 784 pixels in, 10 probabilities out.
 *
 * <p>A {@link Sequential}'s layers reuse their buffers from call to call, so predictions are
 * serialised here behind one lock and the result is copied out before it is released. Decoding and
 * preprocessing, the larger share of a request, run in parallel on the server's threads. When
 * cnn-core's thread-safe inference (issue 12, the {@code api} branch) lands, this class is the
 * seam to replace: nothing else in the server touches the model.
 */
public final class Inference {
    private final Sequential model;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Wraps a model of input [1, 28, 28] and output [10].
     *
     * @param model the model
     */
    public Inference(Sequential model) {
        this.model = model;
    }

    /**
     * The class probabilities for one image.
     *
     * @param pixels 784 values in [0, 1], row-major, ink bright
     * @return 10 probabilities (a new array)
     */
    public float[] predict(float[] pixels) {
        Tensor x = Tensor.wrap(pixels.clone(), 1, 1, 28, 28);
        lock.lock();
        try {
            return model.predict(x).data().clone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The model behind this seam.
     *
     * @return the model (do not call it outside {@link #predict})
     */
    public Sequential model() {
        return model;
    }
}
