package org.cnn4j.mnist.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.model.ModelZoo;
import org.junit.jupiter.api.Test;

class BenchFiguresTest {
    @Test
    void seedCnnMultiplyAddsMatchTheAnchorProtocol() {
        // shared/anchors/PROTOCOL.md: "Forward ~32.3 M multiply-adds per image"; by layer
        // 627,200 + 20,070,400 + 3,612,672 + 7,225,344 + 802,816 + 2,560
        long forward = ModelFlops.forwardMacs(ModelZoo.digitRecognizer(2));
        assertThat(forward).isEqualTo(32_340_992L);
        // the first layer's input gradient is never computed
        assertThat(ModelFlops.trainingMacs(ModelZoo.digitRecognizer(2))).isEqualTo(3 * 32_340_992L - 627_200L);
    }

    @Test
    void cpuinfoGivesTheFirstProcessorsFields() {
        List<String> lines = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 26", "model\t\t: 2",
                "model name\t: AMD EPYC 9R45", "flags\t\t: fpu avx512f", "", "processor\t: 1",
                "vendor_id\t: GenuineIntel", "model name\t: Other");
        MachineInfo m = MachineInfo.fromCpuinfo(lines, "25+36 (OpenJDK 64-Bit Server VM)", 2);
        assertThat(m.vendor()).isEqualTo("AuthenticAMD");
        assertThat(m.family()).isEqualTo("26");
        assertThat(m.model()).isEqualTo("2");
        assertThat(m.modelName()).isEqualTo("AMD EPYC 9R45");
        assertThat(m.describe()).isEqualTo(
                "AMD EPYC 9R45 (AuthenticAMD family 26 model 2), JDK 25+36 (OpenJDK 64-Bit Server VM), 2 cores");
    }

    @Test
    void withoutCpuinfoTheFieldsSayUnknown() {
        MachineInfo m = MachineInfo.fromCpuinfo(List.of(), "25", 1);
        assertThat(m.vendor()).isEqualTo("unknown");
        assertThat(m.modelName()).isEqualTo(System.getProperty("os.arch"));
    }

    @Test
    void fmaProbeMeasuresAPlausibleFigure() {
        double peak = FmaPeak.measure(1, 2_000_000L, 2);
        // any machine that runs the JVM does more than 0.1 GFLOP/s of vector FMA; NaN or 0 would mean a broken count
        assertThat(peak).isGreaterThan(0.1).isLessThan(100_000);
    }
}
