package org.cnn4j.mnist.bench;

import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Param;
import org.cnn4j.model.Sequential;

/**
 * Multiply-adds a model needs per image, counted as a direct convolution computes them (the
 * arithmetic Winograd saves is not subtracted: the count says what work was done, not how).
 */
public final class ModelFlops {
    private ModelFlops() {
    }

    /**
     * Forward multiply-adds per image: for every layer with a {@code kernel}, its size times the
     * output positions it slides over (a Conv2D's output pixels, 1 for a Dense layer).
     *
     * @param model the model (built if it is not yet)
     * @return multiply-adds per image of one forward pass
     */
    public static long forwardMacs(Sequential model) {
        model.build();
        long macs = 0;
        for (Layer l : model.layers()) {
            macs += layerMacs(l);
        }
        return macs;
    }

    /**
     * Training multiply-adds per image: the forward pass, the weight gradient (as many again) and
     * the input gradient (as many again, except for the first layer, whose input gradient nobody needs).
     *
     * @param model the model (built if it is not yet)
     * @return multiply-adds per image of one training step
     */
    public static long trainingMacs(Sequential model) {
        return 3 * forwardMacs(model) - layerMacs(model.layers().get(0));
    }

    private static long layerMacs(Layer l) {
        for (Param p : l.params()) {
            if (p.name().equals("kernel")) {
                int[] out = l.outputShape();
                long positions = 1;
                for (int i = 1; i < out.length; i++) { // out[0] is the channels (filters or units)
                    positions *= out[i];
                }
                return p.size() * positions;
            }
        }
        return 0;
    }
}
