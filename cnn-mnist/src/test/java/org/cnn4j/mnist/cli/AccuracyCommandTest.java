package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke version of the accuracy protocol (docs/accuracy.md): 2 seeds x 1 epoch x 300 real
 * MNIST images, two presets, evaluated on 200 test images; the table is written, a rerun after a
 * simulated kill continues where it stopped and reproduces the figures, and a changed protocol is
 * refused.
 */
class AccuracyCommandTest {

    /** results.csv without the wall-clock column, which differs from run to run. */
    private static List<String> figures(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void smokeProtocolWritesItsTableAndResumes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("protocol");
        String[] args = {"accuracy", "--data", CliTest.mnistDir().toString(), "--out", out.toString(), "--seeds", "1,2",
            "--epochs", "1", "--limit", "300", "--test-limit", "200", "--presets", "default,kernel-2017",
            "--threads", "1"};
        CliTest.Result r = CliTest.cli(args);
        assertThat(r.status()).as(r.err()).isZero();
        // 300 images: 270 train / 30 validation; kernel-2017 adds the Keras 2.0.x options, 270 // 86 = 3 steps
        assertThat(r.out()).contains("270 train / 30 validation").contains("--interpolation nearest --center keras2017 "
                + "--legacy-patience --steps-per-epoch 3").contains("centre keras2017");
        List<String> csv = figures(out.resolve("results.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.subList(1, 5)).extracting(l -> l.split(",")[0] + " " + l.split(",")[1])
                .containsExactly("default 1", "default 2", "kernel-2017 1", "kernel-2017 2");
        for (String row : csv.subList(1, 5)) {
            String[] f = row.split(",");
            assertThat(f[2] + " " + f[3] + " " + f[4] + " " + f[5]).isEqualTo("1 270 30 200");
            assertThat(Double.parseDouble(f[6])).as("val accuracy of %s", row).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(f[8])).as("test accuracy of %s", row).isBetween(0.05, 1.0);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| default | 2 |").contains("| kernel-2017 | 2 |").contains(" ± ");

        // a kill after seed 2's last checkpoint, before its model and result were written
        Path seed2 = out.resolve("default/seed-2");
        Files.delete(seed2.resolve("result.properties"));
        Files.delete(seed2.resolve("model.cnn4j"));
        CliTest.Result again = CliTest.cli(args);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("default seed 1: done before").contains("kernel-2017 seed 2: done before")
                .contains("running: cnn-mnist train --resume " + seed2);
        assertThat(figures(out.resolve("results.csv"))).isEqualTo(csv);

        // train's ablation options are part of a run: a resume cannot change them, nor take a bad value
        Path k1 = out.resolve("kernel-2017/seed-1");
        CliTest.Result conflict = CliTest.cli("train", "--resume", k1.toString(), "--center", "correct");
        assertThat(conflict.status()).isEqualTo(Main.USER_ERROR);
        assertThat(conflict.err()).contains("--center conflicts with the checkpoint").contains("--center keras2017");
        CliTest.Result steps = CliTest.cli("train", "--resume", k1.toString(), "--steps-per-epoch", "439");
        assertThat(steps.err()).contains("--steps-per-epoch conflicts").contains("--steps-per-epoch 3");
        CliTest.Result bad = CliTest.cli("train", "--out", tmp.resolve("x").toString(), "--center", "middle");
        assertThat(bad.status()).isEqualTo(Main.USER_ERROR);
        assertThat(bad.err().strip()).isEqualTo("cnn-mnist: error: --center must be correct or keras2017, got middle");

        // the folder holds this protocol; another epoch count would mix incomparable runs
        String[] changed = args.clone();
        changed[8] = "2";
        CliTest.Result refused = CliTest.cli(changed);
        assertThat(refused.status()).isEqualTo(Main.USER_ERROR);
        assertThat(refused.err()).contains("epochs = 1, not 2").contains("choose another --out");
    }

    @Test
    void epsilonInsideTheRootKeepsTheOtherRmspropSettings() {
        Sequential m = ModelZoo.digitRecognizer(1);
        AblationOptions o = new AblationOptions();
        o.center = "correct";
        o.applyTo(m);
        assertThat(m.optimizer().config()).containsEntry("epsilon_inside_sqrt", "false");
        o.epsilonInsideSqrt = true;
        o.applyTo(m);
        assertThat(m.optimizer().config()).containsEntry("epsilon_inside_sqrt", "true").containsEntry("rho", "0.9")
                .containsEntry("epsilon", "1.0E-8");
        assertThat(m.optimizer().learningRate()).isEqualTo(1e-3);
    }
}
