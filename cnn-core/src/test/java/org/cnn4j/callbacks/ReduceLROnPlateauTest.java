package org.cnn4j.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.layers.Dense;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import org.junit.jupiter.api.Test;

/** The learning rates ReduceLROnPlateau gives for a scripted history of val_accuracy. */
class ReduceLROnPlateauTest {

    private static List<Double> run(ReduceLROnPlateau cb, double... history) {
        Sequential m = new Sequential(2).add(new Dense(2));
        m.compile(new RMSprop(1e-3), null);
        cb.onTrainBegin(m, history.length, 1);
        List<Double> lrs = new ArrayList<>();
        for (int e = 0; e < history.length; e++) {
            cb.onEpochEnd(e, Map.of("val_accuracy", history[e]));
            lrs.add(m.optimizer().learningRate());
        }
        return lrs;
    }

    @Test
    void reducesOnTheThirdFlatEpochAsModernKeras() {
        ReduceLROnPlateau cb = new ReduceLROnPlateau("val_accuracy", 0.5, 3).minLr(1e-5);
        List<Double> lrs = run(cb, 0.90, 0.95, 0.95, 0.94, 0.95, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96);
        assertThat(lrs).containsExactly(1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2.5e-4, 1.25e-4);
    }

    @Test
    void improvementsSmallerThanMinDeltaDoNotCount() {
        ReduceLROnPlateau cb = new ReduceLROnPlateau("val_accuracy", 0.5, 2);
        List<Double> lrs = run(cb, 0.9, 0.90005, 0.90009);
        assertThat(lrs).containsExactly(1e-3, 1e-3, 5e-4);
    }

    @Test
    void legacyKeras2017CountingReducesOneEpochLater() {
        ReduceLROnPlateau cb = new ReduceLROnPlateau("val_accuracy", 0.5, 3).legacyPatience(true);
        List<Double> lrs = run(cb, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);
        // flat epochs 1..6: first reduction on the 4th, the next 3 epochs later
        assertThat(lrs).containsExactly(1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4);
        assertThat(run(new ReduceLROnPlateau("val_accuracy", 0.5, 3).legacyPatience(true),
                0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9).get(7)).isEqualTo(2.5e-4);
    }

    @Test
    void neverGoesBelowMinLrAndCooldownPausesCounting() {
        ReduceLROnPlateau cb = new ReduceLROnPlateau("val_accuracy", 0.1, 1).minLr(2e-5).cooldown(2);
        List<Double> lrs = run(cb, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);
        // reduce at epoch 1; Keras decrements the cooldown before testing it, so cooldown 2 pauses one epoch
        assertThat(lrs.get(1)).isCloseTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(lrs.get(2)).isCloseTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(lrs.subList(3, 6)).containsOnly(2e-5);
    }

    @Test
    void lossIsMinimisedInAutoMode() {
        Sequential m = new Sequential(2).add(new Dense(2));
        m.compile(new RMSprop(1e-3), null);
        ReduceLROnPlateau cb = new ReduceLROnPlateau("val_loss", 0.5, 1);
        cb.onTrainBegin(m, 3, 1);
        cb.onEpochEnd(0, Map.of("val_loss", 1.0));
        cb.onEpochEnd(1, Map.of("val_loss", 0.5));
        assertThat(m.optimizer().learningRate()).isEqualTo(1e-3);
        cb.onEpochEnd(2, Map.of("val_loss", 0.6));
        assertThat(m.optimizer().learningRate()).isEqualTo(5e-4);
    }
}
