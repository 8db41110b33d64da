package org.cnn4j.loss;

import java.util.Map;
import org.cnn4j.internal.config.Booleans;

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
     * @throws IllegalArgumentException for an unknown name, a setting the loss does not have, or a
     *     {@code from_logits} other than {@code true} or {@code false} (the message names the key and the value)
     */
    public static Loss fromConfig(String name, Map<String, String> config) {
        Loss loss = switch (name) {
            case "categorical_crossentropy" -> new CategoricalCrossentropy();
            case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy(fromLogits(name, config));
            case "binary_crossentropy" -> new BinaryCrossentropy(fromLogits(name, config));
            case "mean_squared_error" -> new MeanSquaredError();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'");
        };
        // a setting the loss does not read would be silently dropped: from_logits=true on a loss
        // that reads probabilities would score logits as probabilities
        boolean takesLogits = loss instanceof SparseCategoricalCrossentropy || loss instanceof BinaryCrossentropy;
        for (String key : config.keySet()) {
            if (!(takesLogits && key.equals("from_logits"))) {
                throw new IllegalArgumentException("loss " + name + " has no setting '" + key + "'");
            }
        }
        return loss;
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

    private static boolean fromLogits(String name, Map<String, String> config) {
        return Booleans.parse("loss " + name + " setting", "from_logits", config.getOrDefault("from_logits", "false"));
    }

    /**
     * Parses {@link #spec(Loss)}.
     *
     * @param spec a name with optional bracketed settings
     * @return the loss
     * @throws IllegalArgumentException for an unknown name or setting, a bad value, or a malformed spec
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
            if (c.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) { // which one would count?
                throw new IllegalArgumentException("malformed loss '" + spec + "': '" + kv.substring(0, eq) + "' is set twice");
            }
        }
        return fromConfig(spec.substring(0, open), c);
    }
}
