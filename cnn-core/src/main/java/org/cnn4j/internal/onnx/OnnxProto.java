package org.cnn4j.internal.onnx;

import java.util.List;
import java.util.Map;

/**
 * The ONNX messages cnn4j writes, with their field numbers from {@code onnx/onnx.proto} of the
 * ONNX repository (github.com/onnx/onnx, file onnx/onnx.proto; the numbers have not changed since
 * IR version 3). Only the fields an exported inference graph needs are here.
 */
public final class OnnxProto {
    /** IR version 7 (ONNX 1.7), as the issue asks; opset 13 needs IR 7 or later. */
    public static final long IR_VERSION = 7;
    /** The default-domain operator set the graph binds to. */
    public static final long OPSET = 13;
    /** TensorProto.DataType.FLOAT. */
    public static final int FLOAT = 1;
    /** TensorProto.DataType.INT64. */
    public static final int INT64 = 7;

    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private OnnxProto() {
    }

    /**
     * ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6,
     * graph = 7, opset_import = 8, metadata_props = 14.
     */
    public static Proto model(String producer, String producerVersion, String doc, Proto graph,
                              Map<String, String> metadata) {
        Proto m = new Proto().int64(1, IR_VERSION).string(2, producer).string(3, producerVersion);
        if (!doc.isEmpty()) {
            m.string(6, doc);
        }
        m.message(7, graph);
        // OperatorSetIdProto: domain = 1 (absent: the default ONNX domain), version = 2
        m.message(8, new Proto().string(1, "").int64(2, OPSET));
        metadata.forEach((k, v) -> m.message(14, new Proto().string(1, k).string(2, v))); // StringStringEntryProto
        return m;
    }

    /** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
    public static Proto graph(String name, List<Proto> nodes, List<Proto> initializers, Proto input, Proto output) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        g.message(11, input);
        g.message(12, output);
        return g;
    }

    /** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
    public static Proto node(String opType, String name, List<String> inputs, String output, List<Proto> attributes) {
        Proto n = new Proto();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, name).string(4, opType);
        attributes.forEach(a -> n.message(5, a));
        return n;
    }

    /** AttributeProto of type INTS: name = 1, ints = 8 (repeated, written unpacked as proto2 does), type = 20. */
    public static Proto ints(String name, long... values) {
        Proto a = new Proto().string(1, name);
        for (long v : values) {
            a.int64(8, v);
        }
        return a.int64(20, ATTR_INTS);
    }

    /** AttributeProto of type INT: name = 1, i = 3, type = 20. */
    public static Proto intAttr(String name, long value) {
        return new Proto().string(1, name).int64(3, value).int64(20, ATTR_INT);
    }

    /** AttributeProto of type FLOAT: name = 1, f = 2, type = 20. */
    public static Proto floatAttr(String name, float value) {
        return new Proto().string(1, name).float32(2, value).int64(20, ATTR_FLOAT);
    }

    /** AttributeProto of type STRING: name = 1, s = 4, type = 20. */
    public static Proto stringAttr(String name, String value) {
        return new Proto().string(1, name).bytes(4, value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .int64(20, ATTR_STRING);
    }

    /** TensorProto of floats: dims = 1 (packed), data_type = 2, name = 8, raw_data = 9 (little-endian). */
    public static Proto floatTensor(String name, long[] dims, float[] values) {
        return new Proto().packedInt64(1, dims).int64(2, FLOAT).string(8, name).bytes(9, Proto.littleEndian(values));
    }

    /**
     * ValueInfoProto (name = 1, type = 2) of a float tensor. TypeProto: tensor_type = 1;
     * TypeProto.Tensor: elem_type = 1, shape = 2; TensorShapeProto: dim = 1; Dimension: dim_value = 1,
     * dim_param = 2. A null entry in {@code dims} is the symbolic batch dimension {@code batchName}.
     */
    public static Proto floatValueInfo(String name, String batchName, Long[] dims) {
        Proto shape = new Proto();
        for (Long d : dims) {
            shape.message(1, d == null ? new Proto().string(2, batchName) : new Proto().int64(1, d));
        }
        Proto tensorType = new Proto().int64(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }
}
