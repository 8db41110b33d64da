package org.cnn4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.layers.Buffer;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Param;
import org.cnn4j.tensor.Tensor;

/**
 * A model's weights by name ({@code conv2d_1/kernel}) and in order, each checked against its shape
 * before anything is written, so that a refused call leaves the model as it was.
 */
final class Weights {
    private Weights() {
    }

    /**
     * Every weight of the built layers by its full name: layer by layer, its parameters then its
     * buffers (BatchNormalization's {@code gamma, beta, moving_mean, moving_variance}), the order
     * of Keras's {@code get_weights}.
     */
    static Map<String, Tensor> byName(List<Layer> layers) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Layer l : layers) {
            for (Param p : l.params()) {
                m.put(l.name() + "/" + p.name(), p.value());
            }
            for (Buffer b : l.buffers()) {
                m.put(l.name() + "/" + b.name(), b.value());
            }
        }
        return m;
    }

    /** Copies of the values, with their shapes. */
    static Map<String, Tensor> copies(List<Layer> layers) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        byName(layers).forEach((k, v) -> m.put(k, v.copy()));
        return m;
    }

    /** Overwrites every parameter, in order, after checking the count and every shape. */
    static void setAll(List<Layer> layers, List<Tensor> values) {
        Map<String, Tensor> dst = byName(layers);
        if (values.size() != dst.size()) {
            throw new IllegalArgumentException("setWeights: expected " + dst.size() + " tensors " + dst.keySet() + ", got "
                    + values.size());
        }
        List<Tensor> targets = new ArrayList<>(dst.values());
        List<String> names = new ArrayList<>(dst.keySet());
        for (int i = 0; i < values.size(); i++) {
            check("setWeights", names.get(i), targets.get(i), values.get(i));
        }
        for (int i = 0; i < values.size(); i++) {
            System.arraycopy(values.get(i).data(), 0, targets.get(i).data(), 0, targets.get(i).size());
        }
    }

    /** Overwrites the named parameters (any subset), after checking every name and shape. */
    static void setNamed(List<Layer> layers, Map<String, Tensor> values) {
        Map<String, Tensor> dst = byName(layers);
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            check("setWeights", e.getKey(), target(dst, e.getKey()), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor t = dst.get(e.getKey());
            System.arraycopy(e.getValue().data(), 0, t.data(), 0, t.size());
        }
    }

    /** The live value of one parameter; throws naming the known names when there is none. */
    static Tensor target(Map<String, Tensor> dst, String name) {
        Tensor t = dst.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no weight named '" + name + "'; the model has " + dst.keySet());
        }
        return t;
    }

    private static void check(String call, String name, Tensor target, Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException(call + ": " + name + " is null");
        }
        if (!value.sameShape(target)) {
            throw new IllegalArgumentException(call + ": " + name + " expects " + Arrays.toString(target.shape()) + ", got "
                    + Arrays.toString(value.shape()) + layoutHint(target.shape(), value.shape()));
        }
    }

    /** Names the likely cause when a convolution kernel arrives in TensorFlow's layout. */
    private static String layoutHint(int[] want, int[] got) {
        if (want.length == 4 && got.length == 4 && got[0] == want[2] && got[1] == want[3] && got[2] == want[1]
                && got[3] == want[0]) {
            return " (TensorFlow/Keras's [height, width, channels, filters] layout? cnn4j's is"
                    + " [filters, channels, height, width]: transpose the axes (3, 2, 0, 1))";
        }
        return "";
    }
}
