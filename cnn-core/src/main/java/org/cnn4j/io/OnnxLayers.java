package org.cnn4j.io;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.onnx.OnnxGraph;
import org.cnn4j.internal.onnx.OnnxProto;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Param;

/**
 * How each cnn4j layer becomes ONNX nodes (opset 13). One entry in {@link #MAPPINGS} per layer
 * type, keyed by {@link Layer#type()} (every type {@code Layers.fromConfig} knows has one); each reads the layer's Keras configuration (the same map the
 * model file stores) and its weights, and returns the name of its output tensor. A new layer type
 * needs one entry here; a new activation one case in {@link #activation}.
 */
final class OnnxLayers {
    /** Turns one built layer into nodes; {@code input} is the name of its input tensor [N, ...]. */
    @FunctionalInterface
    interface Mapping {
        String emit(Layer layer, String input, OnnxGraph g);
    }

    static final Map<String, Mapping> MAPPINGS = Map.ofEntries(
            Map.entry("Conv2D", OnnxLayers::conv2d),
            Map.entry("Dense", OnnxLayers::dense),
            Map.entry("BatchNormalization", OnnxLayers::batchNormalization),
            Map.entry("MaxPooling2D", (layer, input, g) -> pool("MaxPool", layer, input, g)),
            Map.entry("AveragePooling2D", (layer, input, g) -> pool("AveragePool", layer, input, g)),
            Map.entry("GlobalAveragePooling2D", (layer, input, g) -> global("GlobalAveragePool", layer, input, g)),
            Map.entry("GlobalMaxPooling2D", (layer, input, g) -> global("GlobalMaxPool", layer, input, g)),
            Map.entry("Dropout", (layer, input, g) -> input), // the identity at inference
            Map.entry("Flatten", OnnxLayers::flatten),
            Map.entry("ReLU", (layer, input, g) -> g.node("Relu", layer.name(), List.of(input))),
            Map.entry("Softmax", (layer, input, g) -> softmax(layer.name(), input, g)),
            Map.entry("Activation", (layer, input, g) -> activation(layer, layer.config().get("activation"), input, g)),
            Map.entry("LeakyReLU", (layer, input, g) -> g.node("LeakyRelu", layer.name(), List.of(input),
                    OnnxProto.floatAttr("alpha", real(layer, "negative_slope")))),
            Map.entry("ELU", (layer, input, g) -> g.node("Elu", layer.name(), List.of(input),
                    OnnxProto.floatAttr("alpha", real(layer, "alpha")))));

    private OnnxLayers() {
    }

    /** The nodes of {@code layer}, or an {@link OnnxExportException} naming it when it has no mapping. */
    static String emit(Layer layer, String input, OnnxGraph g) {
        Mapping m = MAPPINGS.get(layer.type());
        if (m == null) {
            throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                    + ") cannot be exported to ONNX: no mapping for " + layer.type());
        }
        return m.emit(layer, input, g);
    }

    // Conv: x [N, C, H, W] -> y [N, F, OH, OW]; W [F, C, KH, KW] is cnn4j's layout and ONNX's (OIHW).
    // Keras 'same' puts the odd extra padding row/column after (bottom/right), so pads are explicit
    // and may be asymmetric: ONNX pads = [top, left, bottom, right].
    private static String conv2d(Layer layer, String input, OnnxGraph g) {
        Map<String, String> c = layer.config();
        int[] k = pair(layer, c, "kernel_size");
        int[] s = pair(layer, c, "strides");
        long[] pads = pads(layer, k, s, c.get("padding"));
        String w = g.initializer(layer.name() + "/kernel", param(layer, "kernel").value().shape(),
                param(layer, "kernel").value().data());
        String b = g.initializer(layer.name() + "/bias", param(layer, "bias").value().shape(),
                param(layer, "bias").value().data());
        String y = g.node("Conv", layer.name(), List.of(input, w, b),
                OnnxProto.ints("kernel_shape", k[0], k[1]), OnnxProto.ints("strides", s[0], s[1]),
                OnnxProto.ints("pads", pads), OnnxProto.ints("dilations", 1, 1), OnnxProto.intAttr("group", 1));
        return activation(layer, c.get("activation"), y, g);
    }

    // MaxPool / AveragePool: x [N, C, H, W] -> y [N, C, OH, OW]. Padded cells never win a max, and
    // AveragePool's default count_include_pad = 0 averages only the cells inside the image, as
    // Keras/TensorFlow 'same' does.
    private static String pool(String op, Layer layer, String input, OnnxGraph g) {
        Map<String, String> c = layer.config();
        int[] k = pair(layer, c, "pool_size");
        int[] s = pair(layer, c, "strides");
        long[] pads = pads(layer, k, s, c.get("padding"));
        return g.node(op, layer.name(), List.of(input), OnnxProto.ints("kernel_shape", k[0], k[1]),
                OnnxProto.ints("strides", s[0], s[1]), OnnxProto.ints("pads", pads));
    }

    // GlobalAveragePool / GlobalMaxPool: x [N, C, H, W] -> [N, C, 1, 1], then Flatten -> [N, C] as
    // Keras (keepdims false) and cnn4j give it
    private static String global(String op, Layer layer, String input, OnnxGraph g) {
        String pooled = g.node(op, layer.name() + "/pool", List.of(input));
        return g.node("Flatten", layer.name(), List.of(pooled), OnnxProto.intAttr("axis", 1));
    }

    // BatchNormalization (opset 9 form, current in opset 13), inference: y = gamma (x - mean) /
    // sqrt(var + eps) + beta over axis 1, which is the channel axis of [N, C, H, W] and the unit axis
    // of [N, U], as in cnn4j. Without center/scale, beta is zeros and gamma ones.
    private static String batchNormalization(Layer layer, String input, OnnxGraph g) {
        Map<String, String> c = layer.config();
        int ch = layer.inputShape()[0];
        float[] gamma = layer.params().stream().filter(p -> p.name().equals("gamma")).findFirst()
                .map(p -> p.value().data()).orElseGet(() -> filled(ch, 1f));
        float[] beta = layer.params().stream().filter(p -> p.name().equals("beta")).findFirst()
                .map(p -> p.value().data()).orElseGet(() -> filled(ch, 0f));
        String name = layer.name();
        List<String> inputs = List.of(input,
                g.initializer(name + "/gamma", new int[] {ch}, gamma),
                g.initializer(name + "/beta", new int[] {ch}, beta),
                g.initializer(name + "/moving_mean", new int[] {ch}, buffer(layer, "moving_mean")),
                g.initializer(name + "/moving_variance", new int[] {ch}, buffer(layer, "moving_variance")));
        return g.node("BatchNormalization", name, inputs, OnnxProto.floatAttr("epsilon", real(layer, "epsilon")),
                OnnxProto.floatAttr("momentum", (float) Double.parseDouble(c.getOrDefault("momentum", "0.99"))));
    }

    // Flatten(axis 1): x [N, C, H, W] -> [N, C*H*W] in row-major NCHW order, which is cnn4j's
    private static String flatten(Layer layer, String input, OnnxGraph g) {
        return g.node("Flatten", layer.name(), List.of(input), OnnxProto.intAttr("axis", 1));
    }

    // Gemm: x [N, I] · W [I, U] + b [U] -> [N, U]; Keras' [I, U] kernel is Gemm's B without transB
    private static String dense(Layer layer, String input, OnnxGraph g) {
        Param kernel = param(layer, "kernel");
        Param bias = param(layer, "bias");
        String w = g.initializer(layer.name() + "/kernel", kernel.value().shape(), kernel.value().data());
        String b = g.initializer(layer.name() + "/bias", bias.value().shape(), bias.value().data());
        String y = g.node("Gemm", layer.name(), List.of(input, w, b), OnnxProto.floatAttr("alpha", 1f),
                OnnxProto.floatAttr("beta", 1f), OnnxProto.intAttr("transA", 0), OnnxProto.intAttr("transB", 0));
        return activation(layer, layer.config().get("activation"), y, g);
    }

    /** A layer's fused activation as its own node after the layer's output {@code y}. */
    static String activation(Layer layer, String keras, String y, OnnxGraph g) {
        String act = keras == null ? "linear" : keras.toLowerCase(Locale.ROOT);
        String name = layer.name() + "/" + act;
        return switch (act) {
            case "linear" -> y;
            case "relu" -> g.node("Relu", name, List.of(y));
            case "softmax" -> softmax(name, y, g);
            case "sigmoid" -> g.node("Sigmoid", name, List.of(y));
            case "tanh" -> g.node("Tanh", name, List.of(y));
            case "leaky_relu" -> g.node("LeakyRelu", name, List.of(y),
                    OnnxProto.floatAttr("alpha", (float) org.cnn4j.layers.Activation.LEAKY_RELU_SLOPE));
            case "elu" -> g.node("Elu", name, List.of(y), OnnxProto.floatAttr("alpha", 1f));
            case "gelu" -> gelu(name, y, g);
            default -> throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                    + ") cannot be exported to ONNX: no mapping for its activation '" + keras + "'");
        };
    }

    // GELU, exact (erf) form: opset 13 has no Gelu operator (it came in opset 20), so
    // y = x · (1 + erf(x / √2)) / 2 from Div, Erf, Add, Mul
    private static String gelu(String name, String x, OnnxGraph g) {
        String sqrt2 = g.initializer(name + "/sqrt2", new int[0], new float[] {(float) Math.sqrt(2)});
        String one = g.initializer(name + "/one", new int[0], new float[] {1f});
        String half = g.initializer(name + "/half", new int[0], new float[] {0.5f});
        String erf = g.node("Erf", name + "/erf", List.of(g.node("Div", name + "/scaled", List.of(x, sqrt2))));
        String phi2 = g.node("Add", name + "/one_plus", List.of(erf, one));
        return g.node("Mul", name, List.of(g.node("Mul", name + "/x_times", List.of(x, phi2)), half));
    }

    // Softmax over the class axis of [N, K]; opset 13's Softmax normalises along one axis only
    private static String softmax(String name, String input, OnnxGraph g) {
        return g.node("Softmax", name, List.of(input), OnnxProto.intAttr("axis", -1));
    }

    private static long[] pads(Layer layer, int[] k, int[] s, String padding) {
        int[] in = layer.inputShape(); // [C, H, W]
        ConvGeometry geo = ConvGeometry.of(in[0], in[1], in[2], k[0], k[1], s[0], s[1], "same".equals(padding));
        long bottom = Math.max(0, (geo.outH() - 1) * (long) s[0] + k[0] - in[1] - geo.padTop());
        long right = Math.max(0, (geo.outW() - 1) * (long) s[1] + k[1] - in[2] - geo.padLeft());
        return new long[] {geo.padTop(), geo.padLeft(), bottom, right};
    }

    private static float real(Layer layer, String key) {
        String v = layer.config().get(key);
        try {
            return (float) Double.parseDouble(v);
        } catch (RuntimeException e) {
            throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                    + ") cannot be exported to ONNX: unreadable " + key + " '" + v + "'");
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[] buffer(Layer layer, String name) {
        for (org.cnn4j.layers.Buffer b : layer.buffers()) {
            if (b.name().equals(name)) {
                return b.value().data();
            }
        }
        throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                + ") cannot be exported to ONNX: it has no buffer named '" + name + "'");
    }

    private static int[] pair(Layer layer, Map<String, String> c, String key) {
        String v = c.get(key);
        try {
            String[] parts = v.split("x");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                    + ") cannot be exported to ONNX: unreadable " + key + " '" + v + "'");
        }
    }

    private static Param param(Layer layer, String name) {
        for (Param p : layer.params()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                + ") cannot be exported to ONNX: it has no weight named '" + name + "'");
    }
}
