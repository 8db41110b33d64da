package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a user sees: one WARNING without the module, one INFO line naming the kernels with it. */
class EngineTest {

    /** Prints the kernels; run in a child JVM, whose stderr holds the engine's log line. */
    public static final class Main {
        public static void main(String[] args) {
            System.out.println(Engine.kernels() + " " + Engine.vectorized() + " " + Engine.threads());
        }
    }

    @Test
    void thisJvmRunsTheVectorKernels() {
        // surefire runs with --add-modules jdk.incubator.vector on JDK 25 HotSpot
        assertThat(Engine.vectorized()).isTrue();
        assertThat(Engine.kernels()).startsWith("vector(");
        assertThat(Engine.threads()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void withoutTheModuleOneWarningNamesTheFlagAndTheCost() throws Exception {
        String[] r = run(List.of());
        assertThat(r[0]).startsWith("scalar false");
        assertThat(r[1].lines().filter(l -> l.contains("WARNING")).count()).as(r[1]).isEqualTo(1);
        assertThat(r[1]).contains("--add-modules jdk.incubator.vector").contains("15-20x slower");
    }

    @Test
    void withTheModuleOneInfoLineNamesTheKernels() throws Exception {
        String[] r = run(List.of("--add-modules", "jdk.incubator.vector"));
        assertThat(r[0]).startsWith("vector(");
        // the JVM's own "WARNING: Using incubator modules" line is not ours
        assertThat(r[1].lines().filter(l -> l.startsWith("WARNING") && l.contains("cnn4j"))).isEmpty();
        assertThat(r[1]).contains("INFO: cnn4j").contains("Vector API kernels").contains("vector(");
        assertThat(r[1].lines().filter(l -> l.contains("cnn4j:")).count()).as(r[1]).isEqualTo(1);
    }

    private static String[] run(List<String> jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                Main.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        return new String[] {new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
    }

    /** target/classes and target/test-classes: the tests may run on the module path, not the class path. */
    private static String classPath() throws Exception {
        return Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
