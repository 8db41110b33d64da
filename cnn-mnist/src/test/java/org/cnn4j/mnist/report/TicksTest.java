package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicksTest {
    private static List<String> labels(Ticks t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.count; i++) {
            out.add(t.label(i));
        }
        return out;
    }

    @Test
    void picksOneTwoFiveSteps() {
        assertThat(labels(Ticks.of(0, 1, 5))).containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
        assertThat(labels(Ticks.of(0.9, 1.0, 5))).containsExactly("0.90", "0.92", "0.94", "0.96", "0.98", "1.00");
        assertThat(labels(Ticks.of(-0.013, 0.33, 6))).containsExactly("0.00", "0.05", "0.10", "0.15", "0.20",
                "0.25", "0.30");
        assertThat(labels(Ticks.of(0, 479, 5))).containsExactly("0", "100", "200", "300", "400");
    }

    @Test
    void epochTicksAreWholeNumbers() {
        assertThat(labels(Ticks.integers(1, 3, 10))).containsExactly("1", "2", "3");
        assertThat(labels(Ticks.integers(1, 1, 10))).containsExactly("1");
        assertThat(labels(Ticks.integers(1, 30, 10))).containsExactly("2", "4", "6", "8", "10", "12", "14", "16",
                "18", "20", "22", "24", "26", "28", "30");
    }
}
