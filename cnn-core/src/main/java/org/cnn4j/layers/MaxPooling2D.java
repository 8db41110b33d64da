package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;

/**
 * Max pooling. {@code x [N, C, H, W] -> y [N, C, OH, OW]}. The backward pass routes each output's
 * gradient to the input that won the forward pass (the first maximum in row-major order on ties,
 * as TensorFlow does).
 */
public final class MaxPooling2D extends Layer {
    private final PoolWindow window;
    private final Kernels kernels = Kernels.get();
    private ConvGeometry g;
    private Tensor y;
    private Tensor dx;
    private int[] argmax = new int[0];
    private final Call call = new Call();

    /**
     * One pass's arguments, one record reused from call to call with its tasks made once (as
     * {@code Blas.Call}): a lambda capturing the arguments would be allocated on every call.
     */
    private final class Call {
        float[] src;
        float[] dst;
        /** Forward: tasks per image (channels split across threads when the batch is small). */
        int parts = 1;
        final Parallel.Body forward = (task, worker) -> forwardImage(this, task);
        final Parallel.Body backward = (s, worker) -> backwardImage(this, s);

        void run(Parallel.Body task, int n, float[] from, float[] to) {
            src = from;
            dst = to;
            try {
                Parallel.forEach(n, task);
            } finally {
                src = null;
                dst = null;
            }
        }
    }

    /** Keras default: a 2x2 window, strides equal to the window, padding valid. */
    public MaxPooling2D() {
        this(2);
    }

    /**
     * A square {@code pool} window with strides equal to it.
     *
     * @param pool the window's height and width, and the strides
     */
    public MaxPooling2D(int pool) {
        this(pool, pool, pool, pool, Padding.VALID);
    }

    /**
     * Full control: window {@code ph x pw}, strides {@code sh x sw}, padding.
     *
     * @param ph the window height
     * @param pw the window width
     * @param sh the vertical stride
     * @param sw the horizontal stride
     * @param padding SAME or VALID
     */
    public MaxPooling2D(int ph, int pw, int sh, int sw, Padding padding) {
        this(PoolWindow.of("MaxPooling2D", ph, pw, sh, sw, padding));
    }

    private MaxPooling2D(PoolWindow window) {
        this.window = window;
    }

    @Override
    public String type() {
        return "MaxPooling2D";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        ConvGeometry geo = window.over(this, in);
        return LayerSpec.output(in[0], geo.outH(), geo.outW());
    }

    @Override
    protected void onBuild() {
        g = window.over(this, inputShape());
    }

    /**
     * Whether this is a 2x2 window with strides 2 and no padding over even sides, the pooling a
     * convolution can do in its output ({@link ConvMaxPool}).
     */
    boolean isEven2x2() {
        return window.ph() == 2 && window.pw() == 2 && window.sh() == 2 && window.sw() == 2
                && window.padding() == Padding.VALID && g.height() % 2 == 0 && g.width() % 2 == 0;
    }

    // forward: y[n,c,i,j] = max over the window; argmax remembers the winner
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int n = x.dim(0), out = g.channels() * g.outPixels();
        y = reuse(y, n, g.channels(), g.outH(), g.outW());
        if (argmax.length < n * out) {
            argmax = new int[n * out];
        }
        // a batch smaller than the pool (one image, for latency) splits each image's channels too
        int parts = n < Parallel.threads() ? Math.min(Parallel.threads(), g.channels()) : 1;
        if (parts > 1) {
            splitChannels(parts);
        }
        call.parts = parts;
        call.run(call.forward, n * parts, x.data(), y.data());
        return y;
    }

    /** The geometry of channels c0..c1 of part i of the parts: the same planes, fewer of them. */
    private ConvGeometry[] partGeometry = new ConvGeometry[0];

    private void forwardImage(Call a, int task) {
        int parts = a.parts, s = task / parts, part = task % parts, out = g.channels() * g.outPixels();
        float[] src = a.src, dst = a.dst;
        if (parts == 1) {
            kernels.maxPoolForward(src, s * g.inSize(), g, dst, s * out, argmax, s * out);
            return;
        }
        int c0 = g.channels() * part / parts, c1 = g.channels() * (part + 1) / parts, hw = g.height() * g.width();
        int o = s * out + c0 * g.outPixels();
        kernels.maxPoolForward(src, s * g.inSize() + c0 * hw, partGeometry[part], dst, o, argmax, o);
        for (int i = o; i < o + (c1 - c0) * g.outPixels(); i++) {
            argmax[i] += c0 * hw; // the kernel counts from channel c0; backward counts from the image
        }
    }

    /** Makes {@link #partGeometry} for {@code parts} parts, before the tasks read it. */
    private void splitChannels(int parts) {
        if (partGeometry.length != parts) {
            partGeometry = new ConvGeometry[parts];
            for (int part = 0; part < parts; part++) {
                int c0 = g.channels() * part / parts, c1 = g.channels() * (part + 1) / parts;
                partGeometry[part] = new ConvGeometry(c1 - c0, g.height(), g.width(), g.kh(), g.kw(), g.strideH(),
                        g.strideW(), g.padTop(), g.padLeft(), g.outH(), g.outW());
            }
        }
    }

    private void backwardImage(Call a, int s) {
        int out = g.channels() * g.outPixels(), in = g.inSize();
        Arrays.fill(a.dst, s * in, (s + 1) * in, 0f);
        kernels.maxPoolBackward(a.src, s * out, argmax, s * out, out, a.dst, s * in);
    }

    // backward: dx[winner] += dy; every other dx is 0
    @Override
    public Tensor backward(Tensor dy) {
        if (!needsInputGradient) {
            return null;
        }
        int n = dy.dim(0);
        dx = reuse(dx, n, g.channels(), g.height(), g.width());
        call.run(call.backward, n, dy.data(), dx.data());
        return dx;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        window.writeTo(c);
        return c;
    }

    static MaxPooling2D fromConfig(Map<String, String> c) {
        return new MaxPooling2D(PoolWindow.readFrom("MaxPooling2D", c));
    }
}
