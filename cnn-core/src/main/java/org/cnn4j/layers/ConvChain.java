package org.cnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.CellConv;
import org.cnn4j.internal.conv.CellLayout;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;

/**
 * Consecutive convolutions of an inference plan, each with the 2x2 max pooling after it or not, as
 * one step that keeps the activations between them channel-minor ({@link CellLayout}, as ONNX
 * Runtime's NCHWc): a convolution writes its output straight into the cells the next one's tile
 * transforms read, so the unpacking of one and the packing of the next disappear (issue 18). The
 * dropouts between them run as in inference, as nothing. Only the first convolution reads planes
 * (an im2col one can start a chain: it copies each image's output into cells while it is hot) and
 * only the last writes them. Same bits as the layers one after the other: the cells hold what
 * packing the planes would give. Made only for an inference plan ({@code InferenceFusion}), from
 * inference copies that it keeps; no parameters of its own and no backward pass.
 */
final class ConvChain extends Layer {
    /** A convolution, and the pooling it gives instead of its output (null: none). */
    private record Stage(Conv2D conv, MaxPooling2D pool) {
        CellConv engine() {
            return conv.cellEngine();
        }
    }

    private final List<Stage> stages;
    /** The model's layers this step runs, in order: for its name and type. */
    private final List<Layer> members;
    /** {@code cells[i]}: the layout from stage {@code i} to stage {@code i+1}. */
    private final CellLayout[] cells;
    /** The per-sample output shape {@code [F, H, W]}. */
    private final int[] out;
    /** One buffer per {@link #cells}, for {@link #capacity} images; cells outside the planes stay zero. */
    private final float[][] buffers;
    private int capacity;
    /** Floats of all the cells one image passes through. */
    private final long cellFloats;
    /**
     * Floats of cells for one block of images, about: a batch runs through the chain a block at a
     * time, so that the cells one stage writes are still in cache when the next reads them.
     */
    private static final int BLOCK_FLOATS = 512 * 1024;
    private Tensor y;

    private ConvChain(List<Stage> stages, List<Layer> members) {
        this.stages = List.copyOf(stages);
        this.members = List.copyOf(members);
        this.cells = new CellLayout[stages.size() - 1];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = stages.get(i + 1).engine().inputCells();
        }
        this.buffers = new float[cells.length][];
        long f = 0;
        for (CellLayout c : cells) {
            f += c.imageFloats();
        }
        this.cellFloats = f;
        Stage last = stages.getLast();
        this.out = last.pool() != null ? last.pool().outputShape() : last.conv().outputShape();
        build(stages.getFirst().conv().inputShape(), new Rng(0)); // nothing to initialise: the shapes only
        setName(members.stream().map(Layer::name).collect(Collectors.joining("+")));
    }

    /**
     * The step that runs two neighbouring steps of an inference plan, or null when they do not
     * chain (the {@code InferenceFusion} rule, after {@link ConvMaxPool#fuse}): a convolution
     * (pooled or not, or a chain) and a convolution that reads cells; a chain whose last
     * convolution can pool and the 2x2 max pooling after it; a chain or a pooled convolution and a
     * dropout.
     */
    static Object fuse(Object first, Object second) {
        if (!(second instanceof Layer next) || !next.isBuilt()) {
            return null;
        }
        ConvChain chain = switch (first) {
            case ConvChain c -> c;
            case ConvMaxPool p when p.conv().cellEngine() != null ->
                    new ConvChain(List.of(new Stage(p.conv(), p.pool())), List.of(p.conv(), p.pool()));
            case Conv2D c when c.isBuilt() && c.cellEngine() != null && second instanceof Conv2D ->
                    new ConvChain(List.of(new Stage(c, null)), List.of(c));
            case null, default -> null;
        };
        if (chain == null) {
            return null;
        }
        Stage last = chain.stages.getLast();
        boolean convLast = chain.members.getLast() == last.conv();
        return switch (next) {
            case Dropout d -> chain.with(null, d);
            case Conv2D c when c.cellEngine() != null && c.cellEngine().inputCells() != null
                    && last.engine().writes(c.cellEngine().inputCells(), last.pool() != null) ->
                    chain.with(new Stage(c, null), c);
            case MaxPooling2D p when convLast && p.isEven2x2() && last.conv().pools2x2() -> chain.pooledBy(p);
            default -> null;
        };
    }

    /** This chain and one more stage (or only a member that runs as nothing, when {@code stage} is null). */
    private ConvChain with(Stage stage, Layer member) {
        List<Stage> s = new ArrayList<>(stages);
        if (stage != null) {
            s.add(stage);
        }
        List<Layer> m = new ArrayList<>(members);
        m.add(member);
        return new ConvChain(s, m);
    }

    /** This chain with its last convolution giving the pooling {@code p} of its output. */
    private ConvChain pooledBy(MaxPooling2D p) {
        List<Stage> s = new ArrayList<>(stages);
        s.set(s.size() - 1, new Stage(stages.getLast().conv(), p));
        List<Layer> m = new ArrayList<>(members);
        m.add(p);
        return new ConvChain(s, m);
    }

    @Override
    public String type() {
        return members.stream().map(Layer::type).collect(Collectors.joining("+"));
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(out);
    }

    // forward (inference only): x [N, C, H, W] -> each stage, cells between them -> y [N, F, OH', OW']
    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (training) {
            throw new IllegalStateException(name() + " is an inference step: train the model's own layers");
        }
        checkInput(x);
        int n = x.dim(0);
        y = reuse(y, n, out[0], out[1], out[2]);
        if (n == 0) {
            return y;
        }
        int block = Math.min(n, blockImages());
        if (block > capacity) { // new zeroed buffers: only the planes' cells are ever written
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new float[block * cells[i].imageFloats()];
            }
            capacity = block;
        }
        int inItem = x.itemSize(), outItem = y.itemSize();
        // depth first, a block of images at a time: each image is computed as in the whole batch
        for (int b0 = 0; b0 < n; b0 += block) {
            int count = Math.min(block, n - b0);
            float[] from = x.data();
            int fromOff = b0 * inItem;
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                boolean last = i == stages.size() - 1;
                float[] to = last ? y.data() : buffers[i];
                int toOff = last ? b0 * outItem : 0;
                s.conv().forwardCells(from, fromOff, i > 0, s.pool() != null, to, toOff, last ? null : cells[i], count);
                from = to;
                fromOff = toOff;
            }
        }
        return y;
    }

    /**
     * Images per block: {@code -Dcnn4j.chain.block=N} (0: the whole batch at once), else as many as
     * {@link #BLOCK_FLOATS} of cells hold, a multiple of the thread count so that no thread idles.
     */
    private int blockImages() {
        int set = Integer.getInteger("cnn4j.chain.block", -1);
        if (set >= 0) { // a measuring knob; still no block whose cells overflow an array
            long most = 1;
            for (CellLayout c : cells) {
                most = Math.max(most, c.imageFloats());
            }
            return (int) Math.min(set == 0 ? Integer.MAX_VALUE : set, (Integer.MAX_VALUE - 16) / most);
        }
        int threads = Parallel.threads();
        long fit = cellFloats == 0 ? Integer.MAX_VALUE : BLOCK_FLOATS / cellFloats;
        return (int) Math.max(threads, fit / threads * threads);
    }

    @Override
    public Tensor backward(Tensor dy) {
        throw new UnsupportedOperationException(name() + " is an inference step and has no backward pass");
    }

    @Override
    protected Layer newUnbuilt() {
        throw new UnsupportedOperationException(name() + " is an inference step: copy the model's layers instead");
    }
}
