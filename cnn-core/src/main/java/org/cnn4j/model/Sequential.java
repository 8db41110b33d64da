package org.cnn4j.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Buffer;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Param;
import org.cnn4j.layers.Regularized;
import org.cnn4j.layers.Regularizer;
import org.cnn4j.layers.SoftmaxOutput;
import org.cnn4j.loss.Loss;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * A stack of layers trained end to end, as Keras's {@code Sequential}:
 *
 * <pre>{@code
 * Sequential model = new Sequential(1, 28, 28).seed(2)
 *     .add(new Conv2D(32, 5, Padding.SAME, Activation.RELU))
 *     .add(new MaxPooling2D())
 *     .add(new Flatten())
 *     .add(new Dense(10, Activation.SOFTMAX));
 * model.compile(new RMSprop(1e-3), new CategoricalCrossentropy());
 * History h = model.fit(train, new FitOptions().batchSize(86).epochs(30).validation(val));
 * }</pre>
 *
 * <p>Everything random (initial weights, shuffling, dropout) comes from streams derived from the
 * seed, so the same seed gives bit-identical weights after training, for any thread count. The
 * methods that run the network are synchronized: a model serves one call at a time, from any thread.
 */
public final class Sequential {
    private final int[] inputShape;
    private final List<Layer> layers = new ArrayList<>();
    private long seed;
    private boolean built;
    private Rng shuffleRng;
    private Optimizer optimizer;
    private Loss loss;
    private volatile boolean stopTraining;

    private Tensor xBatch;
    private Tensor yBatch;
    private Tensor gradBuffer;
    private List<Param> stepParams;
    /** Every regularized parameter and its regularizer, in layer order (collected by build). */
    private final List<Param> regularized = new ArrayList<>();
    private final List<Regularizer> regularizers = new ArrayList<>();

    /** A model whose samples have the given shape, such as {@code (1, 28, 28)} for MNIST (NCHW). */
    public Sequential(int... inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("the input shape needs at least one dimension");
        }
        Tensor.checkedSize(inputShape);
        this.inputShape = inputShape.clone();
    }

    /** Sets the seed of every random stream; call before the model is first used. Returns this. */
    public Sequential seed(long seed) {
        requireNotBuilt();
        this.seed = seed;
        return this;
    }

    /** The seed. */
    public long seedValue() {
        return seed;
    }

    /** Appends a layer; returns this. */
    public Sequential add(Layer layer) {
        requireNotBuilt();
        layers.add(layer);
        return this;
    }

    /** Sets the optimizer and the loss (Keras's {@code compile}); returns this. */
    public Sequential compile(Optimizer optimizer, Loss loss) {
        this.optimizer = optimizer;
        this.loss = loss;
        return this;
    }

    /** The optimizer, or null before {@link #compile}. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss, or null before {@link #compile}. */
    public Loss loss() {
        return loss;
    }

    /** Builds the layers (creates and initialises the weights) if not done yet; returns this. */
    public synchronized Sequential build() {
        if (built) {
            return this;
        }
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layers");
        }
        Rng root = new Rng(seed);
        Map<String, Integer> counts = new HashMap<>();
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String base = snake(l.type());
            int c = counts.merge(base, 1, Integer::sum);
            l.setName(c == 1 ? base : base + "_" + (c - 1));
            shape = l.build(shape, root.fork(i + 1));
        }
        layers.get(0).setNeedsInputGradient(false);
        for (Layer l : layers) {
            if (l instanceof Regularized r) {
                Map<Param, Regularizer> rs = r.regularizers();
                for (Param p : l.params()) { // parameter order, so the penalty's sum order is fixed
                    if (rs.containsKey(p)) {
                        regularized.add(p);
                        regularizers.add(rs.get(p));
                    }
                }
            }
        }
        shuffleRng = root.fork(0);
        built = true;
        return this;
    }

    private static String snake(String type) {
        return type.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** Every trainable parameter, layer by layer. */
    public List<Param> params() {
        build();
        List<Param> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.params());
        }
        return ps;
    }

    /**
     * Every non-trainable buffer (such as BatchNormalization's moving statistics), layer by layer.
     *
     * @return the buffers, in order
     */
    public List<Buffer> buffers() {
        build();
        List<Buffer> bs = new ArrayList<>();
        for (Layer l : layers) {
            bs.addAll(l.buffers());
        }
        return bs;
    }

    /** The per-sample input shape. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The per-sample output shape. */
    public int[] outputShape() {
        build();
        return layers.get(layers.size() - 1).outputShape();
    }

    /** The number of trainable scalars. */
    public long paramCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.size();
        }
        return n;
    }

    /**
     * The number of non-trainable scalars (buffers).
     *
     * @return the count
     */
    public long nonTrainableCount() {
        long n = 0;
        for (Buffer b : buffers()) {
            n += b.size();
        }
        return n;
    }

    /** A Keras-style table: each layer's name and type, output shape and parameter count, then the totals. */
    public String summary() {
        build();
        String rule = "_".repeat(70);
        StringBuilder b = new StringBuilder();
        b.append("Model: \"sequential\"\n").append(rule).append('\n');
        b.append(String.format("%-34s%-26s%-10s%n", "Layer (type)", "Output Shape", "Param #"));
        b.append("=".repeat(70)).append('\n');
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String name = l.name() + " (" + l.type() + ")";
            // a name longer than its column still gets a space before the shape
            b.append(String.format(Locale.ROOT, "%-34s%-26s%-,10d%n", name.length() < 34 ? name : name + " ",
                    Shapes.describe(l.outputShape()), l.paramCount() + l.nonTrainableCount()));
            b.append(i == layers.size() - 1 ? "=".repeat(70) : rule).append('\n');
        }
        // as Keras prints it: a layer's "Param #" and the total count both kinds
        long trainable = paramCount(), frozen = nonTrainableCount();
        b.append(String.format(Locale.ROOT, "Total params: %,d%n", trainable + frozen));
        b.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
        b.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", frozen)).append(rule).append('\n');
        return b.toString();
    }

    // ---------------------------------------------------------------- forward and backward

    /** Runs the layers forward; the result is valid until the next call. */
    private Tensor forward(Tensor x, boolean training) {
        Tensor t = x;
        for (Layer l : layers) {
            t = l.forward(t, training);
        }
        return t;
    }

    /** Backpropagates dL/dlogits (fused softmax + loss) or dL/doutput through every layer. */
    private void backward(Tensor grad, boolean fromLogits) {
        int last = layers.size() - 1;
        Tensor g = fromLogits ? ((SoftmaxOutput) layers.get(last)).backwardFromLogits(grad) : layers.get(last).backward(grad);
        for (int i = last - 1; i >= 0 && g != null; i--) {
            g = layers.get(i).backward(g);
        }
    }

    /**
     * One gradient step on one batch ({@code x [N, ...]}, targets {@code y [N, ...]} in the loss's
     * form); returns the batch loss and, in {@code accuracyOut[0]} when given, the batch accuracy
     * (Keras's {@code "accuracy"}, chosen from the shapes: see {@link #evaluate}).
     */
    public synchronized double trainOnBatch(Tensor x, Tensor y, double[] accuracyOut) {
        build();
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("call compile(optimizer, loss) before training");
        }
        Tensor out = forward(x, true);
        double l = loss.value(out, y) + penalty(); // Keras adds the regularization losses to the loss
        if (!Double.isFinite(l)) {
            throw new TrainingDivergedException("the training loss became " + l
                    + "; the weights were left as they were before this batch (try a lower learning rate)");
        }
        if (accuracyOut != null) {
            accuracyOut[0] = Accuracy.correct(out, y) / x.dim(0);
        }
        gradBuffer = gradBuffer != null && gradBuffer.sameShape(out) ? gradBuffer : Tensor.zeros(out.shape());
        Layer last = layers.get(layers.size() - 1);
        boolean fused = last instanceof SoftmaxOutput so && so.outputsSoftmax()
                && loss.gradientFromLogits(out, y, gradBuffer);
        if (!fused) {
            loss.gradient(out, y, gradBuffer);
        }
        backward(gradBuffer, fused);
        if (stepParams == null) {
            stepParams = params(); // the layers are fixed once built: no list per step
        }
        for (int i = 0; i < regularized.size(); i++) { // d(penalty)/dw, after the layers wrote dL/dw
            regularizers.get(i).addGradient(regularized.get(i).value().data(), regularized.get(i).grad().data());
        }
        checkGradients(l);
        optimizer.step(stepParams);
        return l;
    }

    /** The sum of the regularizers' penalties on the current weights (0 without regularizers). */
    private double penalty() {
        double p = 0;
        for (int i = 0; i < regularized.size(); i++) {
            p += regularizers.get(i).penalty(regularized.get(i).value().data());
        }
        return p;
    }

    /**
     * Throws {@link TrainingDivergedException} when a gradient holds a NaN or an infinity, before
     * the optimizer can spread it into the weights: the sum of {@code g*0} over a gradient is 0 when
     * every value is finite and NaN otherwise, whatever the magnitudes.
     */
    private void checkGradients(double loss) {
        for (int pi = 0; pi < stepParams.size(); pi++) { // indexed: no iterator per step
            Param p = stepParams.get(pi);
            float[] g = p.grad().data();
            // g*0 is 0 for every finite g and NaN for NaN or infinity, so a huge finite gradient
            // cannot overflow the check; four sums keep the add chains short
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < g.length; i += 4) {
                s0 += g[i] * 0f;
                s1 += g[i + 1] * 0f;
                s2 += g[i + 2] * 0f;
                s3 += g[i + 3] * 0f;
            }
            for (; i < g.length; i++) {
                s0 += g[i] * 0f;
            }
            if (!Float.isFinite(s0 + s1 + s2 + s3)) {
                throw new TrainingDivergedException("the gradient of " + owner(p) + "/" + p.name()
                        + " became NaN or infinite (batch loss " + loss
                        + "); the weights were left as they were before this batch (try a lower learning rate)");
            }
        }
    }

    private String owner(Param p) {
        for (Layer l : layers) {
            if (l.params().contains(p)) {
                return l.name();
            }
        }
        return "the model";
    }

    /** Class probabilities (or whatever the last layer outputs) for every sample of {@code x}, in batches of 256. */
    public Tensor predict(Tensor x) {
        return predict(x, 256);
    }

    /** Like {@link #predict(Tensor)}, with the given batch size. */
    public synchronized Tensor predict(Tensor x, int batchSize) {
        build();
        int n = x.dim(0), item = x.itemSize();
        int[] outShape = outputShape();
        int outItem = Shapes.size(outShape);
        Tensor result = Tensor.zeros(Shapes.batched(n, outShape));
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            Tensor xb = x;
            if (count != n || !x.sameShape(Shapes.batched(n, inputShape))) {
                // A chunk (or a reshape) of the input; layers never write to their input, so a
                // whole batch of the right shape is used as is.
                xb = Tensor.zeros(Shapes.batched(count, inputShape));
                System.arraycopy(x.data(), from * item, xb.data(), 0, count * item);
            }
            Tensor out = forward(xb, false);
            System.arraycopy(out.data(), 0, result.data(), from * outItem, count * outItem);
        }
        return result;
    }

    /**
     * Mean loss and accuracy over a dataset, without dropout, with every sample's predicted class.
     * The accuracy is Keras's {@code "accuracy"} metric, chosen from the shapes as Keras chooses it:
     * binary ({@code p > 0.5} against the target) for one output per row, sparse categorical
     * (argmax against an integer label) for one target per row against several outputs, else
     * categorical (argmax against argmax).
     */
    public synchronized Evaluation evaluate(Dataset data, int batchSize) {
        build();
        int n = data.size();
        int[] targetShape = data.targetShape();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        double lossSum = 0, correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            Tensor xb = Tensor.zeros(Shapes.batched(count, inputShape));
            Tensor yb = Tensor.zeros(Shapes.batched(count, targetShape));
            data.batch(idx, from, count, xb.data(), yb.data());
            Tensor out = forward(xb, false);
            if (loss != null) {
                lossSum += (loss.value(out, yb) + penalty()) * count;
            }
            correct += Accuracy.correct(out, yb);
            int k = out.itemSize();
            for (int i = 0; i < count; i++) {
                float[] o = out.data();
                if (k == 1) { // one sigmoid output: class 1 above 0.5, as binary accuracy counts it
                    predicted[from + i] = o[i] > 0.5f ? 1 : 0;
                    confidence[from + i] = Math.max(o[i], 1 - o[i]);
                } else {
                    int a = Accuracy.argmax(o, i * k, k);
                    predicted[from + i] = a;
                    confidence[from + i] = o[i * k + a];
                }
            }
        }
        return new Evaluation(loss == null ? Double.NaN : lossSum / Math.max(1, n),
                correct / (double) Math.max(1, n), predicted, confidence);
    }

    /** Trains on in-memory tensors ({@code x [N, ...]}, targets {@code y [N, ...]} in the loss's form: see {@link TensorDataset}). */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(new TensorDataset(x, y), options);
    }

    /** Trains for {@code options.epochs()} passes over {@code train}; see {@link FitOptions}. */
    public synchronized History fit(Dataset train, FitOptions options) {
        build();
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("call compile(optimizer, loss) before fit");
        }
        int n = train.size(), bs = options.batchSize();
        int[] targetShape = train.targetShape();
        int batches = (n + bs - 1) / bs;
        List<Callback> cbs = options.callbacks();
        History history = new History();
        stopTraining = false;
        for (Callback c : cbs) {
            c.onTrainBegin(this, options.epochs(), batches);
        }
        int[] order = new int[n];
        double[] acc = new double[1];
        for (int epoch = options.initialEpoch(); epoch < options.epochs() && !stopTraining; epoch++) {
            for (Callback c : cbs) {
                c.onEpochBegin(epoch);
            }
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (options.shuffle()) {
                shuffleRng.shuffle(order);
            }
            double lr = optimizer.learningRate();
            long start = System.nanoTime();
            double lossSum = 0, accSum = 0;
            int seen = 0;
            for (int b = 0; b < batches && !stopTraining; b++) {
                int from = b * bs, count = Math.min(bs, n - from);
                xBatch = batchTensor(xBatch, Shapes.batched(count, inputShape));
                yBatch = batchTensor(yBatch, Shapes.batched(count, targetShape));
                train.batch(order, from, count, xBatch.data(), yBatch.data());
                double l = trainOnBatch(xBatch, yBatch, acc);
                lossSum += l * count;
                accSum += acc[0] * count;
                seen += count;
                double secs = (System.nanoTime() - start) / 1e9;
                BatchStats stats = new BatchStats(b + 1, batches, seen, lossSum / seen, accSum / seen,
                        seen / Math.max(secs, 1e-9), secs);
                for (Callback c : cbs) {
                    c.onBatchEnd(epoch, stats);
                }
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", lossSum / Math.max(1, seen));
            logs.put("accuracy", accSum / Math.max(1, seen));
            if (options.validation() != null) {
                Evaluation v = evaluate(options.validation(), Math.max(bs, 256));
                logs.put("val_loss", v.loss());
                logs.put("val_accuracy", v.accuracy());
            }
            logs.put("lr", lr);
            history.add(logs);
            for (Callback c : cbs) {
                c.onEpochEnd(epoch, logs);
            }
        }
        for (Callback c : cbs) {
            c.onTrainEnd(history);
        }
        return history;
    }

    private static Tensor batchTensor(Tensor t, int[] shape) {
        return t != null && t.sameShape(shape) ? t : Tensor.zeros(shape);
    }

    /** Asks {@link #fit} to stop after the current batch (used by callbacks such as EarlyStopping). */
    public void stopTraining() {
        stopTraining = true;
    }

    /** True once a callback has asked training to stop. */
    public boolean stopRequested() {
        return stopTraining;
    }

    /** Every random stream of the model (shuffling, then each layer's), for checkpoints. */
    public List<Rng> randomStreams() {
        build();
        List<Rng> rs = new ArrayList<>();
        rs.add(shuffleRng);
        for (Layer l : layers) {
            rs.addAll(l.randomStreams());
        }
        return rs;
    }

    /** A copy of every parameter's values, in {@link #params()} order. */
    public synchronized List<float[]> getWeights() {
        List<float[]> w = new ArrayList<>();
        for (Param p : params()) {
            w.add(p.value().data().clone());
        }
        return w;
    }

    /** Overwrites every parameter with {@code weights}, as returned by {@link #getWeights()}. */
    public synchronized void setWeights(List<float[]> weights) {
        List<Param> ps = params();
        if (weights.size() != ps.size()) {
            throw new IllegalArgumentException("expected " + ps.size() + " weight arrays, got " + weights.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            float[] dst = ps.get(i).value().data();
            if (weights.get(i).length != dst.length) {
                throw new IllegalArgumentException("weight array " + i + " has " + weights.get(i).length
                        + " values, the model needs " + dst.length);
            }
            System.arraycopy(weights.get(i), 0, dst, 0, dst.length);
        }
    }

    private void requireNotBuilt() {
        if (built) {
            throw new IllegalStateException("the model is already built; set the seed and add layers before using it");
        }
    }
}
