package org.cnn4j.loss;

import java.util.Map;

/** Rebuilds a loss from its Keras name and {@link Loss#config()}, as read back from a model file. */
public final class Losses {
    private Losses() {
    }

    /**
     * The loss called {@code name} with settings {@code config}.
     *
     * @param name the Keras name, such as {@code binary_crossentropy}
     * @param config the loss's {@link Loss#config()}; missing keys take Keras's defaults
     * @return the loss
     * @throws IllegalArgumentException for an unknown name
     */
    public static Loss fromConfig(String name, Map<String, String> config) {
        boolean fromLogits = Boolean.parseBoolean(config.getOrDefault("from_logits", "false"));
        return switch (name) {
            case "categorical_crossentropy" -> new CategoricalCrossentropy();
            case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy(fromLogits);
            case "binary_crossentropy" -> new BinaryCrossentropy(fromLogits);
            case "mean_squared_error" -> new MeanSquaredError();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'");
        };
    }

    /**
     * The model file's one-string form of a loss: its name, then its settings in brackets when it
     * has any, e.g. {@code binary_crossentropy[from_logits=true]}.
     *
     * @param loss the loss
     * @return the name, with the settings when there are any
     */
    public static String spec(Loss loss) {
        Map<String, String> c = loss.config();
        if (c.isEmpty()) {
            return loss.name();
        }
        StringBuilder b = new StringBuilder(loss.name()).append('[');
        c.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ",").append(k).append('=').append(v));
        return b.append(']').toString();
    }

    /**
     * Parses {@link #spec(Loss)}.
     *
     * @param spec a name with optional bracketed settings
     * @return the loss
     * @throws IllegalArgumentException for an unknown name or a malformed spec
     */
    public static Loss parse(String spec) {
        int open = spec.indexOf('[');
        if (open < 0) {
            return fromConfig(spec, Map.of());
        }
        if (!spec.endsWith("]")) {
            throw new IllegalArgumentException("malformed loss '" + spec + "'");
        }
        Map<String, String> c = new java.util.LinkedHashMap<>();
        for (String kv : spec.substring(open + 1, spec.length() - 1).split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("malformed loss '" + spec + "'");
            }
            c.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fromConfig(spec.substring(0, open), c);
    }
}
