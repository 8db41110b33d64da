package org.cnn4j.layers;

import java.util.Map;

/** Creates layers from their type and configuration, as read back from a model file. */
public final class Layers {
    private Layers() {
    }

    /** The layer of type {@code type} with configuration {@code config}; unknown types are an error. */
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
