package org.cnn4j.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
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
 * seed, so the same seed gives bit-identical weights after training, for any thread count.
 *
 * <p><b>Threads.</b> Any number of threads may call {@link #predict}, {@link #evaluate} and
 * {@link #predictor()} on one model at once: each call borrows an idle {@link Predictor} (an
 * inference copy of the layers over the same weights) from a small pool, so the calls run side by
 * side, and their results are bit-identical to the same calls made one after another. Training
 * ({@link #fit}, {@link #trainOnBatch}) runs one call at a time. The weights are guarded by a
 * read-write lock: each {@link #trainOnBatch} step (every batch of {@link #fit}) and each
 * {@link #setWeights(List)} holds the write lock; each {@code predict} or {@code evaluate} call
 * holds the read lock throughout. So if the model is trained while other threads predict, a
 * prediction waits for the current step to finish, sees the weights between two whole steps
 * (never a step half-applied), and uses the same weights for every sample of its call; training
 * waits for the predictions in progress (the lock is fair: neither side starves). Build the model
 * ({@link #build()}, or any first call) before sharing it.
 */
public final class Sequential {
    private final int[] inputShape;
    private final List<Layer> layers = new ArrayList<>();
    private long seed;
    private volatile boolean built;
    /** Guards the weights: written by training steps and setWeights, read by predictions. */
    private final ReentrantReadWriteLock weightsLock = new ReentrantReadWriteLock(true);
    /** Idle predictors that {@link #predict} and {@link #evaluate} borrow. */
    private final ConcurrentLinkedDeque<Predictor> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    /** The per-sample output shape, once built (checked on every batch without a copy). */
    private int[] outShape;
    private Rng shuffleRng;
    private Optimizer optimizer;
    private Loss loss;
    private volatile boolean stopTraining;

    private Tensor xBatch;
    private Tensor yBatch;
    private Tensor gradBuffer;
    private List<Param> stepParams;
    /** The buffers, and their values before the running training step (see {@link #trainOnBatch}). */
    private List<Buffer> stepBuffers;
    private float[] bufferBackup;
    /** Every regularized parameter and its regularizer, in layer order (collected by build). */
    private final List<Param> regularized = new ArrayList<>();
    private final List<Regularizer> regularizers = new ArrayList<>();

    /**
     * A model whose samples have the given shape, such as {@code (1, 28, 28)} for MNIST (NCHW).
     *
     * @param inputShape the per-sample shape, without the batch dimension
     * @throws IllegalArgumentException for no dimension, a dimension below 1, or more than an array holds
     */
    public Sequential(int... inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("the input shape needs at least one dimension");
        }
        for (int d : inputShape) {
            if (d < 1) { // a sample of no values: every prediction would be [N, 0] or a mean over nothing
                throw new IllegalArgumentException("Sequential: expected an input shape of dimensions >= 1, got "
                        + java.util.Arrays.toString(inputShape));
            }
        }
        Tensor.checkedSize(inputShape);
        this.inputShape = inputShape.clone();
    }

    /**
     * Sets the seed of every random stream; call before the model is first used. Returns this.
     *
     * @param seed the seed
     * @return this
     * @throws IllegalStateException if the model is already built
     */
    public Sequential seed(long seed) {
        requireNotBuilt();
        this.seed = seed;
        return this;
    }

    /**
     * The seed.
     *
     * @return the seed (0 unless set)
     */
    public long seedValue() {
        return seed;
    }

    /**
     * Appends a layer; returns this.
     *
     * @param layer a new, unbuilt layer
     * @return this
     * @throws IllegalStateException if the model is already built
     */
    public Sequential add(Layer layer) {
        requireNotBuilt();
        layers.add(layer);
        return this;
    }

    /**
     * Sets the optimizer and the loss (Keras's {@code compile}); returns this.
     *
     * @param optimizer the optimizer
     * @param loss the loss
     * @return this
     */
    public Sequential compile(Optimizer optimizer, Loss loss) {
        this.optimizer = optimizer;
        this.loss = loss;
        return this;
    }

    /**
     * The optimizer, or null before {@link #compile}.
     *
     * @return the optimizer, or null
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The loss, or null before {@link #compile}.
     *
     * @return the loss, or null
     */
    public Loss loss() {
        return loss;
    }

    /**
     * Builds the layers (creates and initialises the weights) if not done yet; returns this.
     *
     * @return this
     * @throws IllegalStateException if the model has no layers
     * @throws IllegalArgumentException if a layer cannot take its input shape
     */
    public Sequential build() {
        if (built) { // volatile: no lock once built, so predictions never wait for a training call's monitor
            return this;
        }
        return buildOnce();
    }

    private synchronized Sequential buildOnce() {
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
        outShape = shape.clone();
        built = true;
        return this;
    }

    private static String snake(String type) {
        return type.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The layers, in order.
     *
     * @return an unmodifiable copy of the list
     */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /**
     * Every trainable parameter, layer by layer.
     *
     * @return the parameters, in order (the model is built first)
     */
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

    /**
     * The per-sample input shape.
     *
     * @return a new array
     */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * The per-sample output shape.
     *
     * @return a new array (the model is built first)
     */
    public int[] outputShape() {
        build();
        return layers.get(layers.size() - 1).outputShape();
    }

    /**
     * The number of trainable scalars.
     *
     * @return the count
     */
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

    /**
     * A Keras-style table: each layer's name and type, output shape and parameter count, then the totals.
     *
     * @return the table, lines ending in newlines
     */
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
     * (Keras's {@code "accuracy"}, chosen from the shapes: see {@link #evaluate}). Training calls
     * run one at a time; the step holds the weights' write lock, so predictions in other threads
     * wait for it and never see it half-applied.
     *
     * @param x inputs {@code [N, ...]} of the model's input shape
     * @param y targets {@code [N, ...]}: one-hot rows of the output's width, or one integer label
     *     (or binary target) per row
     * @param accuracyOut null, or an array whose first element receives the batch accuracy
     * @return the batch loss
     * @throws IllegalStateException before {@link #compile}
     * @throws IllegalArgumentException naming the expected and the actual shape when {@code x} or {@code y} does not fit,
     *     or {@code x} holds no sample
     * @throws TrainingDivergedException if the loss or a gradient is NaN or infinite (the weights are left as they were)
     */
    public synchronized double trainOnBatch(Tensor x, Tensor y, double[] accuracyOut) {
        build();
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("call compile(optimizer, loss) before training");
        }
        ShapeCheck.batch("trainOnBatch", x, inputShape);
        ShapeCheck.someSamples("trainOnBatch", x);
        ShapeCheck.targets("trainOnBatch", y, x.dim(0), outShape);
        Lock write = weightsLock.writeLock();
        write.lock();
        try {
            // the forward pass moves the buffers (BatchNormalization's moving statistics) before the
            // loss is known: a diverged step puts them back, as it leaves the parameters
            saveBuffers();
            try {
                return step(x, y, accuracyOut);
            } catch (TrainingDivergedException e) {
                restoreBuffers();
                throw e;
            }
        } finally {
            write.unlock();
        }
    }

    /** Copies every buffer's values into {@link #bufferBackup}, made once. */
    private void saveBuffers() {
        if (stepBuffers == null) {
            stepBuffers = buffers();
            bufferBackup = new float[stepBuffers.stream().mapToInt(b -> b.value().size()).sum()];
        }
        for (int i = 0, o = 0; i < stepBuffers.size(); o += stepBuffers.get(i).value().size(), i++) {
            float[] d = stepBuffers.get(i).value().data();
            System.arraycopy(d, 0, bufferBackup, o, d.length);
        }
    }

    private void restoreBuffers() {
        for (int i = 0, o = 0; i < stepBuffers.size(); o += stepBuffers.get(i).value().size(), i++) {
            float[] d = stepBuffers.get(i).value().data();
            System.arraycopy(bufferBackup, o, d, 0, d.length);
        }
    }

    /** One training step, with the write lock held and the shapes checked. */
    private double step(Tensor x, Tensor y, double[] accuracyOut) {
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

    /**
     * Class probabilities (or whatever the last layer outputs) for every sample of {@code x}, in
     * batches of 256. Safe to call from many threads at once (see the class comment).
     *
     * @param x inputs {@code [N, ...]} of the model's per-sample input shape, such as {@code [N, 1, 28, 28]}
     * @return the outputs, such as {@code [N, 10]}, a new tensor
     * @throws IllegalArgumentException naming the expected and the actual shape when {@code x} does not fit
     */
    public Tensor predict(Tensor x) {
        return predict(x, 256);
    }

    /**
     * Like {@link #predict(Tensor)}, with the given batch size.
     *
     * @param x inputs {@code [N, ...]} of the model's per-sample input shape
     * @param batchSize samples per forward pass (memory grows with it; results do not depend on it)
     * @return the outputs {@code [N, ...]}, a new tensor
     * @throws IllegalArgumentException when {@code x} does not fit, or {@code batchSize < 1}
     */
    public Tensor predict(Tensor x, int batchSize) {
        build();
        ShapeCheck.batch("predict", x, inputShape);
        ShapeCheck.batchSize("predict", batchSize);
        // admitted first, then a predictor: callers waiting for a core hold none, so the few in
        // use stay warm in cache instead of one per waiting thread
        return Parallel.call(() -> {
            Predictor p = borrow();
            try {
                return p.predict(x, batchSize);
            } finally {
                release(p);
            }
        });
    }

    /**
     * A predictor of its own for the calling thread: inference copies of the layers over this
     * model's weights (shared, not copied), as DJL's {@code model.newPredictor()}. Keep one per
     * thread that predicts often; {@link #predict} borrows one from a pool instead.
     *
     * @return a new predictor
     */
    public Predictor predictor() {
        build();
        Lock read = weightsLock.readLock();
        read.lock();
        try {
            List<Layer> copies = new ArrayList<>(layers.size());
            for (Layer l : layers) {
                copies.add(l.inferenceCopy());
            }
            return new Predictor(this, List.copyOf(copies), inputShape, outShape);
        } finally {
            read.unlock();
        }
    }

    /** The read side of the weights lock, for predictors. */
    Lock weightsReadLock() {
        return weightsLock.readLock();
    }

    private Predictor borrow() {
        Predictor p = idle.pollFirst();
        if (p == null) {
            return predictor();
        }
        idleCount.decrementAndGet();
        return p;
    }

    /** Keeps an idle predictor for the next call, up to a few per core; the rest are left to the GC. */
    private void release(Predictor p) {
        if (idleCount.incrementAndGet() <= Math.max(8, 2 * Engine.threads())) {
            idle.offerFirst(p); // last in, first out: the warmest buffers go out again first
        } else {
            idleCount.decrementAndGet();
        }
    }

    /**
     * Mean loss and accuracy over a dataset, without dropout, with every sample's predicted class.
     * The accuracy is Keras's {@code "accuracy"} metric, chosen from the shapes as Keras chooses it:
     * binary ({@code p > 0.5} against the target) for one output per row, sparse categorical
     * (argmax against an integer label) for one target per row against several outputs, else
     * categorical (argmax against argmax). Safe to call from many threads at once; one call sees
     * one set of weights (see the class comment).
     *
     * @param data samples of the model's input shape, with targets of the output's width or one label per sample
     * @param batchSize samples per forward pass
     * @return the loss (NaN before {@link #compile}), the accuracy and the predictions
     * @throws IllegalArgumentException naming the expected and the actual shape when {@code data} does not fit,
     *     or when it holds no samples (a mean over none has no value)
     */
    public Evaluation evaluate(Dataset data, int batchSize) {
        build();
        ShapeCheck.dataset("evaluate", "data", data, inputShape, outputShape());
        ShapeCheck.someSamples("evaluate", "data", data);
        ShapeCheck.batchSize("evaluate", batchSize);
        Predictor p = borrow();
        Lock read = weightsLock.readLock();
        read.lock();
        try {
            return evaluate(data, batchSize, p);
        } finally {
            read.unlock();
            release(p);
        }
    }

    private Evaluation evaluate(Dataset data, int batchSize, Predictor p) {
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
            Tensor out = p.forward(xb);
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
        return new Evaluation(loss == null ? Double.NaN : lossSum / n, correct / n, predicted, confidence);
    }

    /**
     * Trains on in-memory tensors ({@code x [N, ...]}, targets {@code y [N, ...]} in the loss's form: see {@link TensorDataset}).
     *
     * @param x inputs {@code [N, ...]} of the model's input shape
     * @param y targets {@code [N, ...]}: one-hot rows, or one integer label (or binary target) per row
     * @param options batch size, epochs, validation, callbacks, verbosity
     * @return every epoch's metrics
     * @throws IllegalArgumentException naming the expected and the actual shape when {@code x} or {@code y} does not fit,
     *     or when they hold no samples
     */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        build();
        ShapeCheck.batch("fit", x, inputShape);
        ShapeCheck.targets("fit", y, x.dim(0), outputShape());
        return fit(new TensorDataset(x, y), options);
    }

    /**
     * Trains for {@code options.epochs()} passes over {@code train}; see {@link FitOptions}. One
     * training call runs at a time; other threads may {@link #predict} meanwhile, each call seeing
     * the weights between two whole batches (see the class comment). With an optimizer that keeps a
     * moving average of the weights ({@link Optimizer#useEma}), fit ends by writing the averages
     * into the weights, as Keras's fit does.
     *
     * @param train the training data, of the model's input shape and output width
     * @param options batch size, epochs, validation, callbacks, verbosity
     * @return every epoch's metrics
     * @throws IllegalStateException before {@link #compile}
     * @throws IllegalArgumentException naming the expected and the actual shape when the data does not fit, or
     *     when {@code train} or the validation data holds no samples
     * @throws TrainingDivergedException if the loss or a gradient becomes NaN or infinite
     */
    public synchronized History fit(Dataset train, FitOptions options) {
        build();
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("call compile(optimizer, loss) before fit");
        }
        ShapeCheck.dataset("fit", "training data", train, inputShape, outputShape());
        ShapeCheck.someSamples("fit", "training data", train); // as Keras: nothing to fit is an error, not epochs of loss 0
        if (options.validation() != null) {
            ShapeCheck.dataset("fit", "validation data", options.validation(), inputShape, outputShape());
            // refused now, not by evaluate after the first epoch's training
            ShapeCheck.someSamples("fit", "validation data", options.validation());
        }
        int n = train.size(), bs = options.batchSize();
        int[] targetShape = train.targetShape();
        // Keras steps_per_epoch: batches come from a running iterator instead of one pass per epoch
        // ceil(n / bs) as (n - 1) / bs + 1 (n >= 1): n + bs - 1 overflows an int for a batch size near Integer.MAX_VALUE
        int batches = options.stepsPerEpoch() > 0 ? options.stepsPerEpoch() : (n - 1) / bs + 1;
        RunningBatches running = options.stepsPerEpoch() > 0 ? new RunningBatches(n, bs, options.shuffle(), shuffleRng) : null;
        List<Callback> cbs = options.callbacks();
        Callback progress = options.progress();
        if (progress != null) { // first, so its epoch line comes before what other callbacks print
            cbs = new ArrayList<>(cbs);
            cbs.add(0, progress);
        }
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
            if (running == null) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                if (options.shuffle()) {
                    shuffleRng.shuffle(order);
                }
            }
            double lr = optimizer.learningRate();
            long start = System.nanoTime();
            double lossSum = 0, accSum = 0;
            int seen = 0;
            // as Keras, a stop request is read after each batch: an epoch begun trains on at least one
            for (int b = 0; b < batches; b++) {
                long step = (long) epoch * batches + b;
                int from = running == null ? b * bs : running.from(step);
                int count = Math.min(bs, n - from);
                xBatch = batchTensor(xBatch, Shapes.batched(count, inputShape));
                yBatch = batchTensor(yBatch, Shapes.batched(count, targetShape));
                train.batch(running == null ? order : running.order(step), from, count, xBatch.data(), yBatch.data());
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
                if (stopTraining) {
                    break;
                }
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            // seen > 0: fit refuses data of no samples, and every epoch begun trains on a batch
            logs.put("loss", lossSum / seen);
            logs.put("accuracy", accSum / seen);
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
        // as Keras's fit, before on_train_end: with use_ema the model leaves fit holding the averages
        // (keras/src/backend/tensorflow/trainer.py, fit: optimizer.finalize_variable_values)
        if (optimizer.usesEma()) {
            Lock write = weightsLock.writeLock(); // a step's worth of weight changes, as trainOnBatch's
            write.lock();
            try {
                optimizer.finalizeVariableValues(params());
            } finally {
                write.unlock();
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

    /**
     * Asks {@link #fit} to stop (used by callbacks such as EarlyStopping). As Keras reads
     * {@code model.stop_training}, fit reads the request after each batch and after each epoch: a
     * request made in {@link Callback#onEpochBegin} still trains that epoch's first batch.
     */
    public void stopTraining() {
        stopTraining = true;
    }

    /**
     * True once a callback has asked training to stop.
     *
     * @return true after {@link #stopTraining()}, until the next {@code fit}
     */
    public boolean stopRequested() {
        return stopTraining;
    }

    /**
     * Every random stream of the model (shuffling, then each layer's), for checkpoints.
     *
     * @return the streams, in a fixed order
     */
    public List<Rng> randomStreams() {
        build();
        List<Rng> rs = new ArrayList<>();
        rs.add(shuffleRng);
        for (Layer l : layers) {
            rs.addAll(l.randomStreams());
        }
        return rs;
    }

    /**
     * Copies of every weight, with its shape, as Keras's {@code get_weights}: layer by layer, its
     * parameters ({@link #params()}) then its buffers ({@link #buffers()}, such as a batch
     * normalization's moving statistics).
     *
     * @return one tensor per weight, such as {@code conv2d/kernel [32, 1, 5, 5]} then {@code conv2d/bias [32]}
     */
    public List<Tensor> getWeights() {
        return new ArrayList<>(namedWeights().values());
    }

    /**
     * Overwrites every weight with {@code weights}, as returned by {@link #getWeights()} (Keras's
     * {@code set_weights}). The count and every shape are checked before anything is written: a
     * kernel in another layout (TensorFlow's {@code [h, w, in, out]} convolution kernel has
     * cnn4j's length but not its shape {@code [out, in, h, w]}) is refused and the model is left
     * as it was.
     *
     * @param weights one tensor per weight, in {@link #getWeights()} order
     * @throws IllegalArgumentException naming the weight, the expected and the actual shape
     */
    public void setWeights(List<Tensor> weights) {
        build();
        Lock write = weightsLock.writeLock();
        write.lock();
        try {
            Weights.setAll(layers, weights);
        } finally {
            write.unlock();
        }
    }

    /**
     * Copies of the weights by name, in {@link #getWeights()} order: {@code "conv2d_1/kernel"} for
     * parameter {@code kernel} of layer {@code conv2d_1} (the layer names {@link #summary()} shows),
     * {@code "batch_normalization/moving_mean"} for a buffer.
     *
     * @return an ordered map from full name to a copy of the value, with its shape
     */
    public Map<String, Tensor> namedWeights() {
        build();
        Lock read = weightsLock.readLock();
        read.lock();
        try {
            return Weights.copies(layers);
        } finally {
            read.unlock();
        }
    }

    /**
     * A copy of one weight.
     *
     * @param name the full name, such as {@code "conv2d_1/kernel"}
     * @return a copy of the value, with its shape
     * @throws IllegalArgumentException if there is no such weight (the message lists the names)
     */
    public Tensor getWeight(String name) {
        build();
        Lock read = weightsLock.readLock();
        read.lock();
        try {
            return Weights.target(Weights.byName(layers), name).copy();
        } finally {
            read.unlock();
        }
    }

    /**
     * Overwrites some weights by name. Every name and shape is checked before anything is written.
     *
     * @param weights full names (as {@link #namedWeights()}) to values of exactly the weight's shape
     * @throws IllegalArgumentException for an unknown name or a wrong shape (naming both shapes)
     */
    public void setWeights(Map<String, Tensor> weights) {
        build();
        Lock write = weightsLock.writeLock();
        write.lock();
        try {
            Weights.setNamed(layers, weights);
        } finally {
            write.unlock();
        }
    }

    private void requireNotBuilt() {
        if (built) {
            throw new IllegalStateException("the model is already built; set the seed and add layers before using it");
        }
    }
}
