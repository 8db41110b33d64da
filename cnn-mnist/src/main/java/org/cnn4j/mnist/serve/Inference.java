package org.cnn4j.mnist.serve;

import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The one place the server runs the model: 784 pixels in, 10 probabilities out.
 *
 * <p>{@link Sequential#predict} is safe to call from many threads at once (each call borrows an
 * inference copy of the layers over the shared weights), so the server's threads predict in
 * parallel, as they decode and preprocess. Nothing else in the server touches the model.
 */
public final class Inference {
    private final Sequential model;

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
        return model.predict(Tensor.wrap(pixels.clone(), 1, 1, 28, 28)).data(); // a new tensor per call
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
