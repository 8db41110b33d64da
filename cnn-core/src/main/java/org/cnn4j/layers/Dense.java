package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.init.Initializers;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Blas;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.tensor.Tensor;

/**
 * Fully connected layer: {@code y = act(x · kernel + bias)}.
 *
 * <p>{@code x [N, I] -> y [N, U]}; {@code kernel [I, U]} (Keras layout, glorot_uniform),
 * {@code bias [U]} (zeros).
 */
public final class Dense extends Layer implements SoftmaxOutput, Regularized {
    private final int units;
    private final Activation activation;
    private final Kernels kernels = Kernels.get();
    private int inputs;
    private Param kernel;
    private Param bias;
    private Tensor x;
    private Tensor y;
    private Tensor dx;
    private Regularizer kernelRegularizer;
    /** The pre-activation output, kept only for an activation whose derivative needs it (GELU). */
    private Tensor z;

    /**
     * {@code units} outputs with no activation.
     *
     * @param units the number of outputs
     */
    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    /**
     * {@code units} outputs followed by {@code activation}.
     *
     * @param units the number of outputs
     * @param activation LINEAR, RELU or SOFTMAX
     */
    public Dense(int units, Activation activation) {
        if (units < 1) {
            throw new IllegalArgumentException("Dense needs units >= 1, got " + units);
        }
        this.units = units;
        this.activation = activation;
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        if (in.length != 1) {
            throw badInput(in, "[features] (add a Flatten layer before it)");
        }
        return LayerSpec.output(units).param("kernel", in[0], units).param("bias", units);
    }

    @Override
    protected void initialize(Rng rng) {
        Initializers.glorotUniform(param("kernel").value().data(), inputShape()[0], units, rng);
    }

    @Override
    protected void onBuild() {
        inputs = inputShape()[0];
        kernel = param("kernel");
        bias = param("bias");
    }

    // forward: x [N, I] -> y [N, U] = act(x · W + b)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int n = x.dim(0);
        y = reuse(y, n, units);
        Blas.gemm(kernels, false, false, n, units, inputs, x.data(), 0, inputs, kernel.value().data(), 0, units,
                0f, y.data(), 0, units);
        kernels.addColumnBias(y.data(), 0, n, units, bias.value().data(), activation == Activation.RELU);
        if (activation == Activation.SOFTMAX) {
            Softmaxes.forward(y.data(), n, units);
        } else if (Activations.elementwise(activation)) {
            if (Activations.needsInput(activation)) {
                z = reuse(z, n, units);
                System.arraycopy(y.data(), 0, z.data(), 0, n * units);
            }
            Activations.forward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, y.data(), 0, n * units);
        }
        return y;
    }

    // backward: dy [N, U] -> dx [N, I]; dz = act'(dy); dW = xᵀ · dz [I, U]; db = Σ_n dz; dx = dz · Wᵀ
    @Override
    public Tensor backward(Tensor dy) {
        int n = dy.dim(0);
        if (activation == Activation.RELU) {
            kernels.reluBackward(dy.data(), 0, y.data(), 0, n * units);
        } else if (activation == Activation.SOFTMAX) {
            Softmaxes.backward(dy.data(), y.data(), n, units);
        } else if (Activations.elementwise(activation)) {
            Activations.backward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, dy.data(), y.data(),
                    z == null ? null : z.data(), 0, n * units);
        }
        return backwardFromLogits(dy);
    }

    @Override
    public boolean outputsSoftmax() {
        return activation == Activation.SOFTMAX;
    }

    @Override
    public Tensor backwardFromLogits(Tensor dz) {
        int n = dz.dim(0);
        Blas.gemm(kernels, true, false, inputs, units, n, x.data(), 0, inputs, dz.data(), 0, units,
                0f, kernel.grad().data(), 0, units);
        float[] gb = bias.grad().data();
        Arrays.fill(gb, 0f);
        kernels.sumColumns(dz.data(), 0, n, units, gb);
        if (!needsInputGradient) {
            return null;
        }
        dx = reuse(dx, n, inputs);
        Blas.gemm(kernels, false, true, n, inputs, units, dz.data(), 0, units, kernel.value().data(), 0, units,
                0f, dx.data(), 0, inputs);
        return dx;
    }

    /**
     * Sets a penalty on the kernel, as Keras's {@code kernel_regularizer}, e.g.
     * {@code kernelRegularizer(Regularizer.l2(1e-4))}; null for none (the default).
     *
     * @param r the regularizer, or null
     * @return this layer
     */
    public Dense kernelRegularizer(Regularizer r) {
        this.kernelRegularizer = r;
        return this;
    }

    @Override
    public Map<Param, Regularizer> regularizers() {
        return kernelRegularizer == null ? Map.of() : Map.of(param("kernel"), kernelRegularizer);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("units", Integer.toString(units));
        c.put("activation", activation.keras());
        if (kernelRegularizer != null) {
            c.put("kernel_regularizer", kernelRegularizer.spec());
        }
        return c;
    }

    static Dense fromConfig(Map<String, String> c) {
        return new Dense(LayerConfig.integer(c, "units"), Activation.parse(LayerConfig.string(c, "activation")))
                .kernelRegularizer(c.containsKey("kernel_regularizer") ? Regularizer.parse(c.get("kernel_regularizer")) : null);
    }
}
