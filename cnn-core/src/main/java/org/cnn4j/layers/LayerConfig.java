package org.cnn4j.layers;

import java.util.Map;

/** Reads values from a layer's string configuration, with errors that name the missing key. */
final class LayerConfig {
    private LayerConfig() {
    }

    static String string(Map<String, String> c, String key) {
        String v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("layer configuration lacks '" + key + "'");
        }
        return v;
    }

    static int integer(Map<String, String> c, String key) {
        try {
            return Integer.parseInt(string(c, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer configuration '" + key + "' is not an integer: " + c.get(key));
        }
    }

    static double real(Map<String, String> c, String key) {
        try {
            return Double.parseDouble(string(c, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer configuration '" + key + "' is not a number: " + c.get(key));
        }
    }

    /** {@code "5x3"} -> {5, 3}. */
    static int[] pair(Map<String, String> c, String key) {
        String[] parts = string(c, key).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("layer configuration '" + key + "' is not of the form AxB: " + c.get(key));
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer configuration '" + key + "' is not of the form AxB: " + c.get(key));
        }
    }
}
