package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.BatchNormalization;
import org.cnn4j.layers.Dense;
import org.cnn4j.loss.BinaryCrossentropy;
import org.cnn4j.loss.Loss;
import org.cnn4j.loss.Losses;
import org.cnn4j.loss.SparseCategoricalCrossentropy;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.ExponentialDecay;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * The model file's settings are read strictly: a boolean is {@code true} or {@code false}
 * ({@code Boolean.parseBoolean} read {@code "yes "} as false, so a file saying from_logits,
 * nesterov, epsilon_inside_sqrt or staircase "yes " loaded with the setting off), and a loss setting
 * the loss does not have is refused instead of dropped. What every writer writes still loads.
 */
class StrictSettingsTest {

    /** A model whose file holds every boolean setting, each true. */
    private static Sequential everyFlag(Optimizer opt, Loss loss) {
        Sequential m = new Sequential(4).seed(3).add(new Dense(3)).add(new BatchNormalization())
                .add(new Dense(2, Activation.LINEAR));
        m.build();
        return m.compile(opt, loss);
    }

    /** Replaces the value stored after {@code key} (a map entry: the key, then the value's length and bytes). */
    private static byte[] patchValue(byte[] file, String key, String from, String to) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8), f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        assertThat(t).hasSameSizeAs(f); // the same length: no count or offset moves
        byte[] b = file.clone();
        for (int p = 0; p + k.length + 2 + f.length <= b.length; p++) {
            int v = p + k.length + 2;
            if (java.util.Arrays.equals(b, p, p + k.length, k, 0, k.length) && b[v - 2] == 0 && b[v - 1] == f.length
                    && java.util.Arrays.equals(b, v, v + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, b, v, t.length);
                return ModelFileLimitsTest.withCrc(b);
            }
        }
        throw new AssertionError(key + " = " + from + " not found");
    }

    /** Replaces text inside a stored string (the loss spec). */
    private static byte[] patchText(byte[] file, String from, String to) {
        String s = new String(file, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(from);
        assertThat(at).isNotNegative();
        byte[] b = file.clone();
        System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, b, at, to.length());
        return ModelFileLimitsTest.withCrc(b);
    }

    @Test
    void aBooleanOtherThanTrueOrFalseIsRefusedNamingTheKeyAndTheValue() throws Exception {
        Optimizer sgd = new SGD(0.1, 0.9, true).learningRateSchedule(new ExponentialDecay(0.1, 10, 0.5, true));
        byte[] withSgd = ModelFile.toBytes(everyFlag(sgd, new BinaryCrossentropy(true)), true, Map.of());
        byte[] withRms = ModelFile.toBytes(everyFlag(new RMSprop(1e-3, 0.9, 1e-7, true), new SparseCategoricalCrossentropy(true)),
                true, Map.of());
        // what the writers wrote loads, every flag on
        Sequential back = ModelFile.fromBytes(withSgd, "m.cnn4j").model();
        assertThat(back.optimizer().config()).containsEntry("nesterov", "true").containsEntry("schedule.staircase", "true");
        assertThat(back.loss().config()).containsEntry("from_logits", "true");
        assertThat(ModelFile.fromBytes(withRms, "m.cnn4j").model().optimizer().config()).containsEntry("epsilon_inside_sqrt", "true");

        for (String bad : new String[] {"yes ", "ture", "TRUE", "1   "}) {
            assertThatThrownBy(() -> ModelFile.fromBytes(patchValue(withSgd, "nesterov", "true", bad), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: optimizer configuration 'nesterov' is not true or false: '" + bad + "'");
            assertThatThrownBy(() -> ModelFile.fromBytes(patchValue(withRms, "epsilon_inside_sqrt", "true", bad), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: optimizer configuration 'epsilon_inside_sqrt' is not true or false: '"
                            + bad + "'");
            assertThatThrownBy(() -> ModelFile.fromBytes(patchValue(withSgd, "schedule.staircase", "true", bad), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: learning-rate schedule configuration 'staircase' is not true or false: '"
                            + bad + "'");
            assertThatThrownBy(() -> ModelFile.fromBytes(patchText(withSgd, "from_logits=true", "from_logits=" + bad), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: loss binary_crossentropy setting 'from_logits' is not true or false: '"
                            + bad + "'");
            assertThatThrownBy(() -> ModelFile.fromBytes(patchValue(withSgd, "center", "true", bad), "m.cnn4j"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage("m.cnn4j: invalid model: layer configuration 'center' is not true or false: '" + bad + "'");
        }
    }

    @Test
    void aLossSettingTheLossDoesNotHaveIsRefused() {
        // from_logits=true on categorical cross-entropy (which reads probabilities) was dropped: the
        // model scored logits as probabilities
        assertThatThrownBy(() -> Losses.parse("categorical_crossentropy[from_logits=true]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss categorical_crossentropy has no setting 'from_logits'");
        assertThatThrownBy(() -> Losses.parse("binary_crossentropy[label_smoothing=0.1]"))
                .hasMessage("loss binary_crossentropy has no setting 'label_smoothing'");
        assertThatThrownBy(() -> Losses.parse("mean_squared_error[from_logits=false]"))
                .hasMessage("loss mean_squared_error has no setting 'from_logits'");
        assertThatThrownBy(() -> Losses.parse("binary_crossentropy[from_logits=true,from_logits=false]"))
                .hasMessageContaining("'from_logits' is set twice");
        assertThatThrownBy(() -> Losses.parse("hinge[from_logits=true]")).hasMessage("unknown loss 'hinge'");
        // and the specs every writer wrote still parse
        for (String spec : new String[] {"categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
                "mean_squared_error", "binary_crossentropy[from_logits=true]", "sparse_categorical_crossentropy[from_logits=true]"}) {
            assertThat(Losses.spec(Losses.parse(spec))).isEqualTo(spec);
        }
    }

    @Test
    void anOptimizerNumberThatIsNoNumberIsNamed() {
        Map<String, String> c = new java.util.LinkedHashMap<>(new SGD(0.1, 0.9, false).config());
        c.put("momentum", "0.9x");
        assertThatThrownBy(() -> Optimizer.fromConfig("SGD", c)).hasMessage("optimizer configuration 'momentum' is not a number: '0.9x'");
        // a file without the flag (none was written so) takes Keras's default, false
        c.put("momentum", "0.9");
        c.remove("nesterov");
        assertThat(Optimizer.fromConfig("SGD", c).config()).containsEntry("nesterov", "false");
    }
}
