package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import org.junit.jupiter.api.Test;

/** The vector-or-scalar decision, case by case, as a pure function of the JVM's facts. */
class VectorPolicyTest {
    private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";

    @Test
    void hotspotOnTheTestedJdkWithTheModuleUsesVectorKernelsAndSaysSoAtInfo() {
        VectorPolicy.Decision d = VectorPolicy.decide(true, HOTSPOT, 25, null);
        assertThat(d.vector()).isTrue();
        assertThat(d.level()).isEqualTo(Level.INFO);
        assertThat(VectorPolicy.decide(true, "Java HotSpot(TM) 64-Bit Server VM", 25, "auto").vector()).isTrue();
    }

    @Test
    void missingModuleWarnsWithTheFlagAndTheCost() {
        for (String p : new String[] {null, "auto", "true"}) {
            VectorPolicy.Decision d = VectorPolicy.decide(false, HOTSPOT, 25, p);
            assertThat(d.vector()).isFalse();
            assertThat(d.level()).isEqualTo(Level.WARNING);
            assertThat(d.message()).contains("--add-modules jdk.incubator.vector").contains("15-20x slower");
        }
    }

    @Test
    void otherVmsAndUntestedJdksGetScalarKernelsAndAWarningNamingTheOverride() {
        for (VectorPolicy.Decision d : new VectorPolicy.Decision[] {
                VectorPolicy.decide(true, "Eclipse OpenJ9 VM", 25, null),
                VectorPolicy.decide(true, "OpenJDK Client VM", 25, null),
                VectorPolicy.decide(true, "Substrate VM", 25, null),
                VectorPolicy.decide(true, HOTSPOT, 26, null),
                VectorPolicy.decide(true, HOTSPOT, 24, null)}) {
            assertThat(d.vector()).as(d.message()).isFalse();
            assertThat(d.level()).isEqualTo(Level.WARNING);
            assertThat(d.message()).contains("-Dcnn4j.vector=true").contains("15-20x slower");
        }
        assertThat(VectorPolicy.decide(true, HOTSPOT, 26, null).message()).contains("Java 25, not 26");
    }

    @Test
    void thePropertyForcesEitherWay() {
        assertThat(VectorPolicy.decide(true, "Eclipse OpenJ9 VM", 25, "true").vector()).isTrue();
        assertThat(VectorPolicy.decide(true, HOTSPOT, 27, " TRUE ").vector()).isTrue();
        VectorPolicy.Decision off = VectorPolicy.decide(true, HOTSPOT, 25, "false");
        assertThat(off.vector()).isFalse();
        assertThat(off.level()).isEqualTo(Level.INFO); // asked for: no warning
    }

    @Test
    void aBadPropertyValueIsNamedAndIgnored() {
        VectorPolicy.Decision d = VectorPolicy.decide(true, HOTSPOT, 25, "yes");
        assertThat(d.vector()).isTrue();
        assertThat(d.message()).contains("ignoring -Dcnn4j.vector=yes");
    }
}
