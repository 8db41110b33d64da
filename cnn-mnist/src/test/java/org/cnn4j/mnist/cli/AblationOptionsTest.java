package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.CenterConvention;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * train's ablation options as a checkpoint records and restores them ({@link RunOptions}), including
 * a checkpoint written before they existed, and their one-line errors.
 */
class AblationOptionsTest {
    @Command(name = "t")
    static final class Holder {
        @Mixin
        AblationOptions ablation = new AblationOptions();
    }

    private static final List<String> MIXINS = List.of("ablation");

    private static Holder parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h;
    }

    private static CommandSpec spec(Holder h, String... args) {
        CommandLine cl = new CommandLine(h);
        cl.parseArgs(args);
        return cl.getCommandSpec();
    }

    @Test
    void recordedWithTheRunAndRestoredFromIt() {
        Holder started = new Holder();
        Map<String, String> recorded = RunOptions.record(spec(started, "--center", "KERAS2017", "--epsilon-inside-sqrt",
                "--steps-per-epoch", "439", "--legacy-patience"), MIXINS);
        assertThat(recorded).containsExactly(Map.entry("--center", "keras2017"), Map.entry("--epsilon-inside-sqrt", "true"),
                Map.entry("--steps-per-epoch", "439"), Map.entry("--legacy-patience", "true"));

        Holder resumed = new Holder();
        RunOptions.restore(spec(resumed, "--center", "keras2017"), MIXINS, recorded, List.of(), "c", Path.of("run"));
        assertThat(resumed.ablation.centerConvention()).isEqualTo(CenterConvention.KERAS_2017);
        assertThat(resumed.ablation.epsilonInsideSqrt).isTrue();
        assertThat(resumed.ablation.stepsPerEpoch).isEqualTo(439);
        assertThat(resumed.ablation.legacyPatience).isTrue();

        Holder changed = new Holder();
        assertThatThrownBy(() -> RunOptions.restore(spec(changed, "--steps-per-epoch", "440"), MIXINS, recorded, List.of(),
                "c", Path.of("run"))).isInstanceOf(InputException.class)
                .hasMessage("--steps-per-epoch conflicts with the checkpoint in run, whose run was started with "
                        + "--steps-per-epoch 439 (a resumed run keeps its options; leave --steps-per-epoch out)");
    }

    @Test
    void aCheckpointFromBeforeTheseOptionsResumesWithTheDefaults() {
        Holder h = new Holder();
        RunOptions.restore(spec(h), MIXINS, Map.of("--seed", "2"), List.of(), "c", Path.of("run"));
        assertThat(h.ablation.centerConvention()).isEqualTo(CenterConvention.CORRECT);
        assertThat(h.ablation.epsilonInsideSqrt).isFalse();
        assertThat(h.ablation.stepsPerEpoch).isZero();
        assertThat(h.ablation.legacyPatience).isFalse();
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> parse("--center", "middle").ablation.validate())
                .hasMessage("--center must be correct or keras2017, got middle");
        assertThatThrownBy(() -> parse("--steps-per-epoch", "-1").ablation.validate())
                .hasMessage("--steps-per-epoch must be >= 0, got -1");
    }
}
