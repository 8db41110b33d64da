package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Param;
import org.cnn4j.layers.ReLU;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worked example of {@code docs/worked-example.md}, number by number. The test reads the page:
 * the weights come from its parameter table, the gradients and updated weights of its SGD table are
 * compared with the real step, and every decimal number printed anywhere on the page must be a
 * value this test computes, to the precision it is printed with. The layer-by-layer assertions
 * below spell the main values out once more. If this test fails, fix the page (or the code), never
 * the tolerance.
 *
 * <p>The network: x [1, 2] -> Dense 2->2 -> ReLU -> Dense 2->2 softmax, categorical cross-entropy
 * against the one-hot target [0, 1].
 */
class WorkedExampleTest {
    static final float[] X = {1f, 2f};
    static final float[] TARGET = {0f, 1f};
    static final float[] W1 = {0.5f, -1f, 0.25f, 0.5f}; // [I=2, U=2], row i = input i
    static final float[] B1 = {0.5f, -0.5f};
    static final float[] W2 = {1f, -1f, 0.5f, 2f};
    static final float[] B2 = {-0.5f, 0.5f};
    static final double LEARNING_RATE = 0.1;
    static final double NUDGE = 0.001;

    private static final Pattern PARAMETER_ROW = Pattern.compile("^\\| \\$([Wb]_[12])\\$[^|]*\\|(.*)$");
    private static final Pattern DECIMAL = Pattern.compile("\\d+\\.\\d+");
    static String page;

    @BeforeAll
    static void readThePage() throws IOException {
        Path root = MarkdownChecker.findRepositoryRoot(Path.of(System.getProperty("user.dir")));
        page = Files.readString(root.resolve("docs/worked-example.md"), StandardCharsets.UTF_8);
    }

    /** The code spans of each table row that starts with a parameter name, e.g. {@code W_1 -> [before, grad, after]}. */
    static Map<String, List<float[]>> parameterRows(String md, boolean sgdTable) {
        Map<String, List<float[]>> rows = new LinkedHashMap<>();
        for (String line : md.split("\\R")) {
            Matcher m = PARAMETER_ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            List<float[]> cells = new ArrayList<>();
            Matcher span = Pattern.compile("`([^`]*)`").matcher(m.group(2));
            while (span.find()) {
                if (span.group(1).startsWith("[")) {
                    cells.add(numbers(span.group(1)));
                }
            }
            if ((cells.size() == 3) == sgdTable) {
                rows.put(m.group(1), cells);
            }
        }
        return rows;
    }

    private static float[] numbers(String array) {
        Matcher n = Pattern.compile("-?\\d+(?:\\.\\d+)?").matcher(array);
        List<Float> out = new ArrayList<>();
        while (n.find()) {
            out.add(Float.parseFloat(n.group()));
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    /** The page's text outside its command blocks. */
    static String prose(String md) {
        StringBuilder b = new StringBuilder();
        boolean command = false;
        for (String line : md.split("\\R")) {
            if (line.startsWith("```")) {
                command = !command && line.startsWith("```bash"); // math and text blocks are prose
                continue;
            }
            if (!command) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Asserts that {@code actual} rounds to {@code printed} at the number of decimals printed. */
    static void assertPrinted(double actual, String printed) {
        BigDecimal p = new BigDecimal(printed);
        double halfUnit = 0.5 * Math.pow(10, -p.scale());
        // float32 arithmetic may sit a hair past the rounding boundary; allow 1e-7 on top of half a unit
        assertThat(Math.abs(actual - p.doubleValue())).as("%s printed as %s", actual, printed)
                .isLessThanOrEqualTo(halfUnit + 1e-7);
    }

    static void assertPrinted(float[] actual, String... printed) {
        assertThat(actual).hasSize(printed.length);
        for (int i = 0; i < printed.length; i++) {
            assertPrinted(actual[i], printed[i]);
        }
    }

    private static void set(Param p, float[] values) {
        System.arraycopy(values, 0, p.value().data(), 0, values.length);
    }

    /** The page's network as separate layers: Dense 2->2, ReLU, Dense 2->2 with softmax, weights of the page. */
    private record Net(Dense dense1, ReLU relu, Dense dense2) {
        static Net ofThePage() {
            Net net = new Net(new Dense(2), new ReLU(), new Dense(2, Activation.SOFTMAX));
            net.dense1.build(new int[] {2}, new Rng(0));
            net.relu.build(new int[] {2}, new Rng(0));
            net.dense2.build(new int[] {2}, new Rng(0));
            set(net.dense1.params().get(0), W1);
            set(net.dense1.params().get(1), B1);
            set(net.dense2.params().get(0), W2);
            set(net.dense2.params().get(1), B2);
            return net;
        }
    }

    @Test
    void forwardAndBackwardLayerByLayer() {
        Net net = Net.ofThePage();
        Dense dense1 = net.dense1();
        ReLU relu = net.relu();
        Dense dense2 = net.dense2();
        CategoricalCrossentropy cce = new CategoricalCrossentropy();
        Tensor x = Tensor.wrap(X.clone(), 1, 2);
        Tensor y = Tensor.wrap(TARGET.clone(), 1, 2);

        // forward
        Tensor a = dense1.forward(x, true);
        assertPrinted(a.data(), "1.5", "-0.5");
        Tensor h = relu.forward(a, true);
        assertPrinted(h.data(), "1.5", "0");
        Tensor p = dense2.forward(h, true);
        assertPrinted(p.data(), "0.880797", "0.119203");
        assertPrinted(cce.value(p, y), "2.126928");

        // the fused gradient at the logits, then back through dense2
        Tensor dz = Tensor.zeros(1, 2);
        assertThat(cce.gradientFromLogits(p, y, dz)).isTrue();
        assertPrinted(dz.data(), "0.880797", "-0.880797");
        Tensor dh = dense2.backwardFromLogits(dz);
        assertPrinted(dense2.params().get(0).grad().data(), "1.321196", "-1.321196", "0", "0");
        assertPrinted(dense2.params().get(1).grad().data(), "0.880797", "-0.880797");
        assertPrinted(dh.data(), "1.761594", "-1.321196");

        // ReLU gates the gradient of the unit that was off
        Tensor da = relu.backward(dh);
        assertPrinted(da.data(), "1.761594", "0");

        // dense1 (its input gradient is computed: a freshly built layer needs it by default)
        Tensor dx = dense1.backward(da);
        assertPrinted(dense1.params().get(0).grad().data(), "1.761594", "0", "3.523188", "0");
        assertPrinted(dense1.params().get(1).grad().data(), "1.761594", "0");
        assertPrinted(dx.data(), "0.880797", "0.440399");
    }

    @Test
    void unfusedPathThroughTheSoftmaxJacobianGivesTheSameLogitGradient() {
        Dense dense2 = new Dense(2, Activation.SOFTMAX);
        dense2.build(new int[] {2}, new Rng(0));
        set(dense2.params().get(0), W2);
        set(dense2.params().get(1), B2);
        Tensor p = dense2.forward(Tensor.wrap(new float[] {1.5f, 0f}, 1, 2), true);
        Tensor dp = Tensor.zeros(1, 2);
        new CategoricalCrossentropy().gradient(p, Tensor.wrap(TARGET.clone(), 1, 2), dp);
        assertPrinted(dp.data(), "0", "-8.389056");
        // Dense#backward applies the softmax Jacobian, then the same code as backwardFromLogits
        Tensor dh = dense2.backward(dp);
        assertPrinted(dense2.params().get(1).grad().data(), "0.880797", "-0.880797");
        assertPrinted(dh.data(), "1.761594", "-1.321196");
    }

    @Test
    void sequentialTrainOnBatchTakesOneSgdStep() {
        Sequential model = new Sequential(2)
                .add(new Dense(2, Activation.RELU))
                .add(new Dense(2, Activation.SOFTMAX));
        model.compile(new SGD(0.1), new CategoricalCrossentropy());
        model.setWeights(List.of(Tensor.wrap(W1.clone(), 2, 2), Tensor.wrap(B1.clone(), 2), Tensor.wrap(W2.clone(), 2, 2),
                Tensor.wrap(B2.clone(), 2)));
        Tensor x = Tensor.wrap(X.clone(), 1, 2);
        Tensor y = Tensor.wrap(TARGET.clone(), 1, 2);

        assertPrinted(model.trainOnBatch(x, y, null), "2.126928");

        List<Param> ps = model.params();
        // the gradients of that step, as in the layer-by-layer test
        assertPrinted(ps.get(0).grad().data(), "1.761594", "0", "3.523188", "0");
        assertPrinted(ps.get(1).grad().data(), "1.761594", "0");
        assertPrinted(ps.get(2).grad().data(), "1.321196", "-1.321196", "0", "0");
        assertPrinted(ps.get(3).grad().data(), "0.880797", "-0.880797");
        // w <- w - 0.1 * g
        assertPrinted(ps.get(0).value().data(), "0.323841", "-1", "-0.102319", "0.5");
        assertPrinted(ps.get(1).value().data(), "0.323841", "-0.5");
        assertPrinted(ps.get(2).value().data(), "0.867880", "-0.867880", "0.5", "2");
        assertPrinted(ps.get(3).value().data(), "-0.588080", "0.588080");

        // forward again with the new weights
        Tensor h = model.layers().get(0).forward(x, false);
        assertPrinted(h.data(), "0.443044", "0");
        Dense logits = new Dense(2);
        logits.build(new int[] {2}, new Rng(0));
        set(logits.params().get(0), ps.get(2).value().data());
        set(logits.params().get(1), ps.get(3).value().data());
        assertPrinted(logits.forward(h, false).data(), "-0.203571", "0.203571");
        Tensor p = model.predict(x);
        assertPrinted(p.data(), "0.399598", "0.600402");
        assertPrinted(new CategoricalCrossentropy().value(p, y), "0.510155");
    }

    @Test
    void theParameterTableOfThePageHoldsTheWeightsOfThisTest() {
        Map<String, List<float[]>> rows = parameterRows(page, false);
        assertThat(rows.keySet()).containsExactly("W_1", "b_1", "W_2", "b_2");
        assertThat(rows.get("W_1").get(0)).containsExactly(W1);
        assertThat(rows.get("b_1").get(0)).containsExactly(B1);
        assertThat(rows.get("W_2").get(0)).containsExactly(W2);
        assertThat(rows.get("b_2").get(0)).containsExactly(B2);
    }

    @Test
    void theSgdTableOfThePageIsTheRealStep() {
        Sequential model = seedOfThePage();
        List<float[]> before = new ArrayList<>();
        for (Param p : model.params()) {
            before.add(p.value().data().clone());
        }
        model.trainOnBatch(Tensor.wrap(X.clone(), 1, 2), Tensor.wrap(TARGET.clone(), 1, 2), null);
        Map<String, List<float[]>> rows = parameterRows(page, true);
        assertThat(rows.keySet()).containsExactly("W_1", "b_1", "W_2", "b_2");
        int i = 0;
        for (List<float[]> row : rows.values()) {
            Param p = model.params().get(i);
            assertClose(row.get(0), before.get(i), 0);
            assertClose(row.get(1), p.grad().data(), 6);
            assertClose(row.get(2), p.value().data(), 6);
            i++;
        }
    }

    @Test
    void everyDecimalNumberOfThePageIsAValueThisTestComputes() {
        List<Double> known = computedValues();
        List<String> unexplained = new ArrayList<>();
        Matcher m = DECIMAL.matcher(prose(page));
        int seen = 0;
        while (m.find()) {
            seen++;
            BigDecimal printed = new BigDecimal(m.group());
            double half = 0.5 * Math.pow(10, -printed.scale()) + 1e-7;
            boolean found = false;
            for (double v : known) {
                found |= Math.abs(Math.abs(v) - printed.doubleValue()) <= half;
            }
            if (!found) {
                unexplained.add(m.group());
            }
        }
        assertThat(unexplained).as("numbers of worked-example.md that no computation gives").isEmpty();
        assertThat(seen).as("decimal numbers read from the page").isGreaterThan(80);
    }

    @Test
    void theCheckerCatchesAWrongNumber() {
        String wrong = page.replace("0.440399", "0.440499");
        assertThat(wrong).isNotEqualTo(page);
        Matcher m = DECIMAL.matcher(prose(wrong));
        List<Double> known = computedValues();
        boolean allFound = true;
        while (m.find()) {
            BigDecimal printed = new BigDecimal(m.group());
            double half = 0.5 * Math.pow(10, -printed.scale()) + 1e-7;
            allFound &= known.stream().anyMatch(v -> Math.abs(Math.abs(v) - printed.doubleValue()) <= half);
        }
        assertThat(allFound).isFalse();
    }

    private static void assertClose(float[] printed, float[] actual, int decimals) {
        assertThat(actual).hasSize(printed.length);
        for (int i = 0; i < printed.length; i++) {
            assertThat(Math.abs(actual[i] - printed[i])).as("%s printed as %s", actual[i], printed[i])
                    .isLessThanOrEqualTo((float) (0.5 * Math.pow(10, -decimals) + 1e-7));
        }
    }

    private static Sequential seedOfThePage() {
        Sequential model = new Sequential(2)
                .add(new Dense(2, Activation.RELU))
                .add(new Dense(2, Activation.SOFTMAX));
        model.compile(new SGD(LEARNING_RATE), new CategoricalCrossentropy());
        model.setWeights(List.of(Tensor.wrap(W1.clone(), 2, 2), Tensor.wrap(B1.clone(), 2), Tensor.wrap(W2.clone(), 2, 2),
                Tensor.wrap(B2.clone(), 2)));
        return model;
    }

    /** Every value the page may print: inputs, constants, each intermediate of both passes, the step, the nudge. */
    private static List<Double> computedValues() {
        List<Double> v = new ArrayList<>();
        for (float[] a : List.of(X, TARGET, W1, B1, W2, B2)) {
            add(v, a);
        }
        v.add(LEARNING_RATE);
        v.add(NUDGE);
        Net net = Net.ofThePage();
        Dense dense1 = net.dense1();
        ReLU relu = net.relu();
        Dense dense2 = net.dense2();
        CategoricalCrossentropy cce = new CategoricalCrossentropy();
        Tensor x = Tensor.wrap(X.clone(), 1, 2);
        Tensor t = Tensor.wrap(TARGET.clone(), 1, 2);
        Tensor a = dense1.forward(x, true);
        add(v, a.data());
        Tensor h = relu.forward(a, true);
        add(v, h.data());
        Dense logits = new Dense(2);
        logits.build(new int[] {2}, new Rng(0));
        set(logits.params().get(0), W2);
        set(logits.params().get(1), B2);
        add(v, logits.forward(h, false).data());
        Tensor p = dense2.forward(h, true);
        add(v, p.data());
        double loss = cce.value(p, t);
        v.add(loss);
        Tensor dz = Tensor.zeros(1, 2);
        cce.gradientFromLogits(p, t, dz);
        add(v, dz.data());
        Tensor dh = dense2.backwardFromLogits(dz);
        add(v, dh.data());
        add(v, dense2.params().get(0).grad().data());
        Tensor da = relu.backward(dh);
        add(v, da.data());
        Tensor dx = dense1.backward(da);
        add(v, dx.data());
        add(v, dense1.params().get(0).grad().data());
        // the unfused path: the probability gradient
        Tensor dp = Tensor.zeros(1, 2);
        cce.gradient(p, t, dp);
        add(v, dp.data());
        // "check one gradient yourself": b1[0] nudged up, the predicted and the real change
        double predicted = NUDGE * dense1.params().get(1).grad().data()[0];
        v.add(predicted);
        float[] b1 = B1.clone();
        b1[0] += (float) NUDGE;
        set(dense1.params().get(1), b1);
        Tensor a2 = dense1.forward(x, false);
        add(v, a2.data());
        float[] z2 = logits.forward(relu.forward(a2, false), false).data();
        add(v, z2);
        v.add((double) (z2[0] - z2[1]));
        double nudgedLoss = cce.value(dense2.forward(relu.forward(a2, false), false), t);
        v.add(nudgedLoss);
        v.add(nudgedLoss - loss);
        // the SGD step and the forward pass after it
        Sequential model = seedOfThePage();
        model.trainOnBatch(x, t, null);
        for (Param q : model.params()) {
            add(v, q.value().data());
        }
        Tensor h2 = model.layers().get(0).forward(x, false);
        add(v, h2.data());
        set(logits.params().get(0), model.params().get(2).value().data());
        set(logits.params().get(1), model.params().get(3).value().data());
        add(v, logits.forward(h2, false).data());
        Tensor p2 = model.predict(x);
        add(v, p2.data());
        v.add(cce.value(p2, t));
        return v;
    }

    private static void add(List<Double> v, float[] a) {
        for (float f : a) {
            v.add((double) f);
        }
    }
}
