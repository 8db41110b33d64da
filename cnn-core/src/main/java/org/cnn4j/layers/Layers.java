package org.cnn4j.layers;

import java.util.Map;

/** Creates layers from their type and configuration, as read back from a model file. */
public final class Layers {
    private Layers() {
    }

    /**
     * A new, unbuilt layer from its type and configuration, as {@link Layer#type()} and
     * {@link Layer#config()} give them.
     *
     * @param type the Keras type name, such as {@code "Conv2D"}
     * @param config the configuration
     * @return the layer
     * @throws IllegalArgumentException for an unknown type or a bad configuration value
     */
    public static Layer fromConfig(String type, Map<String, String> config) {
        return switch (type) {
            case "Conv2D" -> Conv2D.fromConfig(config);
            case "Dense" -> Dense.fromConfig(config);
            case "BatchNormalization" -> BatchNormalization.fromConfig(config);
            case "MaxPooling2D" -> MaxPooling2D.fromConfig(config);
            case "Dropout" -> Dropout.fromConfig(config);
            case "Flatten" -> new Flatten();
            case "ReLU" -> new ReLU();
            case "Softmax" -> new Softmax();
            case "Activation" -> ActivationLayer.fromConfig(config);
            case "LeakyReLU" -> LeakyReLU.fromConfig(config);
            case "ELU" -> ELU.fromConfig(config);
            case "AveragePooling2D" -> AveragePooling2D.fromConfig(config);
            case "GlobalAveragePooling2D" -> new GlobalAveragePooling2D();
            case "GlobalMaxPooling2D" -> new GlobalMaxPooling2D();
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "'");
        };
    }
}
