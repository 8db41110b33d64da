package org.cnn4j.mnist.cli;

import java.util.Collection;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as one line of JSON (NaN and infinities as null). */
final class Json {
    private Json() {
    }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ", ").append(PredictCommand.jsonString(String.valueOf(e.getKey()))).append(": ");
                write(e.getValue(), b);
                first = false;
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                b.append(first ? "" : ", ");
                write(o, b);
                first = false;
            }
            b.append(']');
        } else if (v instanceof int[] a) {
            write(java.util.Arrays.stream(a).boxed().toList(), b);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            b.append(PredictCommand.jsonString(v.toString()));
        }
    }
}
