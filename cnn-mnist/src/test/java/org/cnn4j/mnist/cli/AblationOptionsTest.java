package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.CenterConvention;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;
import org.junit.jupiter.api.Test;

/** How train's ablation options come back from a checkpoint, including one written before they existed. */
class AblationOptionsTest {
    @Command(name = "t")
    static final class Holder {
        @Mixin
        AblationOptions options = new AblationOptions();
    }

    private static Holder parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h;
    }

    private static ParseResult given(String... args) {
        return new CommandLine(new Holder()).parseArgs(args);
    }

    @Test
    void aCheckpointFromBeforeTheseOptionsResumesWithTheDefaults() {
        Holder h = parse();
        h.options.center = "keras2017"; // whatever the fields held, the checkpoint decides
        h.options.stepsPerEpoch = 7;
        h.options.adopt(Map.of("--seed", "2"), given(), "old/checkpoint.cnn4j");
        assertThat(h.options.runOptions()).containsExactly(Map.entry("--center", "correct"),
                Map.entry("--epsilon-inside-sqrt", "false"), Map.entry("--steps-per-epoch", "0"),
                Map.entry("--legacy-patience", "false"));
    }

    @Test
    void aCheckpointsOptionsComeBackAndMayBeRepeatedButNotChanged() {
        Map<String, String> was = Map.of("--center", "keras2017", "--epsilon-inside-sqrt", "true",
                "--steps-per-epoch", "439", "--legacy-patience", "true");
        Holder h = parse("--center", "keras2017");
        h.options.adopt(was, given("--center", "keras2017"), "c");
        assertThat(h.options.runOptions()).isEqualTo(was);
        assertThat(h.options.centerConvention()).isEqualTo(CenterConvention.KERAS_2017);

        Holder changed = parse("--steps-per-epoch", "440");
        assertThatThrownBy(() -> changed.options.adopt(was, given("--steps-per-epoch", "440"), "run/checkpoint.cnn4j"))
                .isInstanceOf(InputException.class)
                .hasMessage("--steps-per-epoch conflicts with the checkpoint in run/checkpoint.cnn4j, whose run was "
                        + "started with --steps-per-epoch 439 (a resumed run keeps its options; leave --steps-per-epoch out)");
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> parse("--center", "middle").options.validate())
                .hasMessage("--center must be correct or keras2017, got middle");
        assertThatThrownBy(() -> parse("--steps-per-epoch", "-1").options.validate())
                .hasMessage("--steps-per-epoch must be >= 0, got -1");
    }
}
