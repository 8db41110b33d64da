package org.cnn4j.mnist.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar} cannot enable an incubator module from the manifest, and without
 * {@code jdk.incubator.vector} the kernels fall back to scalar code about 20x slower. So when the
 * module is missing, the jar starts itself once more with {@code --add-modules jdk.incubator.vector}
 * and passes the exit status through. {@code -Dcnn4j.vector=false} or {@code CNN4J_NO_RELAUNCH=1}
 * turns this off.
 *
 * <p>The child also gets a heap of {@value #DEFAULT_HEAP} unless a heap size was given (on the
 * command line or in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}):
 * the commands keep about 250 MB live, and without a cap the JVM sizes the heap from the machine's
 * memory (a quarter of it), which let a full 60k {@code train} reach a resident size over 1 GiB.
 */
final class Relauncher {
    /** The heap the relaunched JVM gets when nobody chose one. */
    static final String DEFAULT_HEAP = "-Xmx640m";

    private Relauncher() {
    }

    /** Returns true after running the command in a child JVM (the caller then just exits). */
    static boolean relaunchWithVectorModule(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                || "false".equalsIgnoreCase(System.getProperty("cnn4j.vector"))
                || System.getenv("CNN4J_NO_RELAUNCH") != null) {
            return false;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!heapChosen(jvmArgs)) {
            cmd.add(DEFAULT_HEAP);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            System.exit(p.waitFor());
        } catch (Exception e) {
            // could not start the child: run here, with scalar kernels, rather than not at all
            return false;
        }
        return true;
    }

    /** Whether the JVM arguments or the JVM's option variables already set a heap size. */
    static boolean heapChosen(List<String> jvmArgs) {
        List<String> all = new ArrayList<>(jvmArgs);
        for (String v : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            String s = System.getenv(v);
            if (s != null) {
                all.addAll(List.of(s.trim().split("\\s+")));
            }
        }
        return all.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize")
                || a.startsWith("-XX:MaxRAM") || a.startsWith("-XX:MaxRAMPercentage"));
    }
}
