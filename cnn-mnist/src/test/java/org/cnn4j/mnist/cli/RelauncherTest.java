package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelauncherTest {
    @Test
    void aHeapSizeGivenByTheUserIsKeptOtherwiseTheDefaultCapApplies() {
        assumeTrue(System.getenv("JAVA_TOOL_OPTIONS") == null && System.getenv("JDK_JAVA_OPTIONS") == null
                && System.getenv("_JAVA_OPTIONS") == null, "a JVM option variable is set");
        assertThat(Relauncher.heapChosen(List.of("-Dx=1", "--add-opens=a/b=c"))).isFalse();
        assertThat(Relauncher.heapChosen(List.of("-Xmx2g"))).isTrue();
        assertThat(Relauncher.heapChosen(List.of("-XX:MaxRAMPercentage=50"))).isTrue();
        assertThat(Relauncher.heapChosen(List.of("-XX:MaxHeapSize=1g"))).isTrue();
        assertThat(Relauncher.DEFAULT_HEAP).startsWith("-Xmx");
    }
}
