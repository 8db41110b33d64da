package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.cli.CliTest.Result;
import org.cnn4j.mnist.train.Checkpoint;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.CosineDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --model v2} at CI size on real MNIST (480 images, 2 epochs of 14 steps): the BatchNorm
 * network trains (the loss falls), its checkpoint and model file hold the schedule-driven optimizer,
 * and a resume cannot switch networks.
 */
class TrainModelV2Test {
    @TempDir
    Path tmp;

    @Test
    void v2TrainsAndItsRunRemembersTheNetwork() throws Exception {
        Path mnist = CliTest.mnistDir();
        Path run = tmp.resolve("v2");
        Result r = CliTest.cli("train", "--model", "v2", "--data", mnist.toString(), "--limit", "480", "--epochs", "2",
                "--batch-size", "32", "--out", run.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("batch_normalization (BatchNormalization)").contains("Non-trainable params: 832")
                .contains("Total params: 327,242");
        List<String> history = Files.readAllLines(run.resolve("history.csv"));
        double loss1 = Double.parseDouble(history.get(1).split(",")[1]), loss2 = Double.parseDouble(history.get(2).split(",")[1]);
        assertThat(loss2).as("epoch losses %s, %s", loss1, loss2).isLessThan(loss1 * 0.85);
        // the schedule: warm-up over epoch 1 (14 steps) from 1e-4, then the cosine from 2e-3
        double lr1 = Double.parseDouble(history.get(1).split(",")[5]), lr2 = Double.parseDouble(history.get(2).split(",")[5]);
        assertThat(lr1).isEqualTo(1e-4);
        assertThat(lr2).isEqualTo(2e-3);

        Sequential saved = ModelFile.load(run.resolve(Checkpoint.FILE));
        assertThat(saved.optimizer().learningRateSchedule()).isInstanceOf(CosineDecay.class);
        assertThat(saved.optimizer().iterations()).isEqualTo(28);
        assertThat(saved.summary()).isEqualTo(ModelFile.load(run.resolve("model.cnn4j")).summary());

        Result switched = CliTest.cli("train", "--resume", run.toString(), "--model", "seed", "--epochs", "3");
        assertThat(switched.status()).isEqualTo(Main.USER_ERROR);
        assertThat(switched.err()).contains("--model conflicts with the checkpoint");
        Result unknown = CliTest.cli("train", "--model", "v3", "--out", tmp.resolve("x").toString());
        assertThat(unknown.status()).isEqualTo(Main.USER_ERROR);
        assertThat(unknown.err()).contains("--model must be seed or v2");
    }
}
