package org.cnn4j.layers;

import java.util.Map;

/** Creates layers from their type and configuration, as read back from a model file. */
public final class Layers {
    private Layers() {
    }

    /**
     * The layer of type {@code type} with configuration {@code config}; unknown types are an error.
     *
     * @param type the Keras type, such as {@code "Conv2D"}
     * @param config the layer's {@link Layer#config()}
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException for an unknown type or a bad setting
     */
    public static Layer fromConfig(String type, Map<String, String> config) {
        return switch (type) {
            case "Conv2D" -> Conv2D.fromConfig(config);
            case "Dense" -> Dense.fromConfig(config);
            case "MaxPooling2D" -> MaxPooling2D.fromConfig(config);
            case "Dropout" -> Dropout.fromConfig(config);
            case "Flatten" -> new Flatten();
            case "ReLU" -> new ReLU();
            case "Softmax" -> new Softmax();
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "'");
        };
    }
}
