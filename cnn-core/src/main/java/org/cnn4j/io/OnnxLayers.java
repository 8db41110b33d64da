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
 * type, keyed by {@link Layer#type()}; each reads the layer's Keras configuration (the same map the
 * model file stores) and its weights, and returns the name of its output tensor. A new layer type
 * needs one entry here; a new activation one case in {@link #activation}.
 */
final class OnnxLayers {
    /** Turns one built layer into nodes; {@code input} is the name of its input tensor [N, ...]. */
    @FunctionalInterface
    interface Mapping {
        String emit(Layer layer, String input, OnnxGraph g);
    }

    static final Map<String, Mapping> MAPPINGS = Map.of(
            "Conv2D", OnnxLayers::conv2d,
            "MaxPooling2D", OnnxLayers::maxPooling2d,
            "Dropout", (layer, input, g) -> input, // the identity at inference
            "Flatten", OnnxLayers::flatten,
            "Dense", OnnxLayers::dense,
            "ReLU", (layer, input, g) -> g.node("Relu", layer.name(), List.of(input)),
            "Softmax", (layer, input, g) -> softmax(layer.name(), input, g));

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

    // MaxPool: x [N, C, H, W] -> y [N, C, OH, OW]; padded cells never win, in ONNX as in Keras
    private static String maxPooling2d(Layer layer, String input, OnnxGraph g) {
        Map<String, String> c = layer.config();
        int[] k = pair(layer, c, "pool_size");
        int[] s = pair(layer, c, "strides");
        long[] pads = pads(layer, k, s, c.get("padding"));
        return g.node("MaxPool", layer.name(), List.of(input), OnnxProto.ints("kernel_shape", k[0], k[1]),
                OnnxProto.ints("strides", s[0], s[1]), OnnxProto.ints("pads", pads));
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
            default -> throw new OnnxExportException("layer '" + layer.name() + "' (" + layer.type()
                    + ") cannot be exported to ONNX: no mapping for its activation '" + keras + "'");
        };
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
