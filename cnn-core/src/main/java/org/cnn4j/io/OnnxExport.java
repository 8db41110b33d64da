package org.cnn4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.internal.onnx.OnnxGraph;
import org.cnn4j.internal.onnx.OnnxProto;
import org.cnn4j.layers.Layer;
import org.cnn4j.model.Sequential;

/**
 * Writes a {@link Sequential} as an ONNX model (IR version 7, opset 13) for inference in ONNX
 * Runtime, DJL, Triton, Netron or a browser. The sibling of {@link ModelFile}, and like it
 * dependency-free: the protobuf encoding is written by hand.
 *
 * <p>The graph takes one float input {@code input} of shape {@code [N, ...inputShape]} with a
 * symbolic batch dimension {@code N} and gives one output {@code output} (the last layer's, e.g.
 * the class probabilities). Dropout is left out (it is the identity at inference); a ReLU or
 * softmax fused into a Conv2D or Dense layer becomes a node of its own. The model's metadata
 * (cnn4j version, seed, and whatever the caller passes, such as the training data) goes into
 * {@code metadata_props}.
 */
public final class OnnxExport {
    /** The graph input's name. */
    public static final String INPUT = "input";
    /** The graph output's name. */
    public static final String OUTPUT = "output";
    /** The name of the symbolic batch dimension. */
    public static final String BATCH = "N";

    private OnnxExport() {
    }

    /**
     * The bytes of the ONNX model.
     *
     * @param model a built model
     * @param metadata extra {@code metadata_props} entries (keys must not start with {@code cnn4j.})
     * @return the serialised ModelProto
     * @throws OnnxExportException when a layer cannot be exported; the message names it
     * @throws IllegalStateException when the model is not built
     */
    public static byte[] toBytes(Sequential model, Map<String, String> metadata) {
        if (model.layers().isEmpty() || !model.layers().getFirst().isBuilt()) {
            throw new IllegalStateException("the model must be built before it is exported");
        }
        OnnxGraph g = new OnnxGraph();
        String x = g.reserve(INPUT);
        g.reserve(OUTPUT);
        for (Layer layer : model.layers()) {
            x = OnnxLayers.emit(layer, x, g);
        }
        g.identity(x, OUTPUT);
        var graph = g.build("cnn4j", OnnxProto.floatValueInfo(INPUT, BATCH, batched(model.inputShape())),
                OnnxProto.floatValueInfo(OUTPUT, BATCH, batched(model.outputShape())));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("cnn4j.version", version());
        props.put("cnn4j.seed", Long.toString(model.seedValue()));
        props.put("cnn4j.summary", model.summary());
        metadata.forEach((k, v) -> {
            if (props.containsKey(k)) {
                throw new IllegalArgumentException("metadata key '" + k + "' is the exporter's own");
            }
            props.put(k, v);
        });
        return OnnxProto.model("cnn4j", version(), "", graph, props).toBytes();
    }

    /**
     * Writes the ONNX model to {@code file} atomically: on any failure the file is untouched.
     *
     * @param model a built model
     * @param file the target, e.g. {@code model.onnx}
     * @param metadata extra {@code metadata_props} entries
     * @throws IOException when the file cannot be written
     * @throws OnnxExportException when a layer cannot be exported; nothing is written then
     */
    public static void save(Sequential model, Path file, Map<String, String> metadata) throws IOException {
        byte[] bytes = toBytes(model, metadata);
        AtomicFiles.write(file, bytes);
    }

    /**
     * The cnn4j version from the {@code pom.properties} Maven puts in cnn-core's jar (and the shaded
     * CLI jar keeps), or {@code "unknown"} when running from classes.
     */
    static String version() {
        try (java.io.InputStream in = OnnxExport.class.getResourceAsStream(
                "/META-INF/maven/org.cnn4j/cnn-core/pom.properties")) {
            return version(in);
        } catch (IOException e) {
            return "unknown"; // the version is a courtesy, not a reason to fail an export
        }
    }

    /** The {@code version} of a pom.properties stream, or {@code "unknown"} for none. */
    static String version(java.io.InputStream pomProperties) throws IOException {
        if (pomProperties == null) {
            return "unknown";
        }
        java.util.Properties p = new java.util.Properties();
        p.load(pomProperties);
        String v = p.getProperty("version", "").strip();
        return v.isEmpty() ? "unknown" : v;
    }

    private static Long[] batched(int[] shape) {
        Long[] dims = new Long[shape.length + 1];
        for (int i = 0; i < shape.length; i++) {
            dims[i + 1] = (long) shape[i];
        }
        return dims;
    }
}
