package org.cnn4j.internal.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An inference graph being built node by node, in order: the nodes, the weights as initializers,
 * and the tensor names in use (each value name is written once, as ONNX requires).
 */
public final class OnnxGraph {
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /**
     * Adds a constant float tensor and returns its name ({@code name}, made unique).
     *
     * @param name the wanted name, e.g. {@code conv2d/kernel}
     * @param dims its shape; {@code values} are in row-major order
     * @param values the values, copied into the graph
     * @return the name the tensor got
     */
    public String initializer(String name, int[] dims, float[] values) {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(dims));
        }
        String unique = unique(name);
        initializers.add(OnnxProto.floatTensor(unique, Arrays.stream(dims).asLongStream().toArray(), values));
        return unique;
    }

    /**
     * Adds a node of the default domain and returns the name of its single output.
     *
     * @param opType the ONNX operator, e.g. {@code Conv}
     * @param name the node's name, also the stem of its output's name
     * @param inputs the names of its inputs, in the operator's order
     * @param attributes its attributes ({@link OnnxProto#ints} and friends)
     * @return the name of the output tensor
     */
    public String node(String opType, String name, List<String> inputs, Proto... attributes) {
        String output = unique(name);
        nodes.add(OnnxProto.node(opType, output, inputs, output, List.of(attributes)));
        return output;
    }

    /**
     * Adds an {@code Identity} node that gives {@code input} the reserved name {@code output}, the
     * graph output's.
     *
     * @param input the tensor to expose
     * @param output a name taken with {@link #reserve} and not yet written
     * @return {@code output}
     */
    public String identity(String input, String output) {
        if (!names.contains(output)) {
            throw new IllegalArgumentException("reserve the graph output's name first: " + output);
        }
        nodes.add(OnnxProto.node("Identity", output, List.of(input), output, List.of()));
        return output;
    }

    /**
     * The GraphProto with {@code input} as its only input and {@code output} as its only output.
     *
     * @param graphName the graph's name
     * @param input the input's value info
     * @param output the output's value info; its name must be the last node's output
     * @return the graph message
     */
    public Proto build(String graphName, Proto input, Proto output) {
        return OnnxProto.graph(graphName, nodes, initializers, input, output);
    }

    /**
     * Reserves a name (the graph input's) so that no node or weight takes it.
     *
     * @param name the name
     * @return the same name
     */
    public String reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("name already used in the graph: " + name);
        }
        return name;
    }

    private String unique(String name) {
        String n = name;
        for (int i = 1; !names.add(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }
}
