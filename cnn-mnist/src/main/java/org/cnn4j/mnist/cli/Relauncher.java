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
 */
final class Relauncher {
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
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
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
}
