package org.cnn4j.mnist.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The child dies with its parent: a {@code kill -9} of the {@code java -jar} process must not
 * leave a JVM that trains on and writes files after the user saw the command end. The child is
 * told its parent's pid ({@value #PARENT_PID}) and {@link #watchParent() watches} it: on Linux the
 * kernel kills it the moment the parent dies ({@code prctl(PR_SET_PDEATHSIG, SIGKILL)}), and
 * everywhere a daemon thread checks every 50 ms that its parent is still the same process.
 *
 * <p>The child JVM prints {@code WARNING: Using incubator modules: jdk.incubator.vector} on
 * startup, a line the user did not ask for and which made every one-line error two lines. The
 * parent reads the child's stderr and drops that line; everything else passes through unchanged.
 */
final class Relauncher {
    /** The heap the relaunched JVM gets when nobody chose one. */
    static final String DEFAULT_HEAP = "-Xmx640m";
    /** System property that tells the relaunched JVM the pid of the JVM that started it. */
    static final String PARENT_PID = "cnn4j.parentPid";
    /** The line the JVM prints when an incubator module is added, which the parent drops. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: ";

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
        // the parent watch calls prctl through java.lang.foreign; without this the JVM warns about it
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!heapChosen(jvmArgs)) {
            cmd.add(DEFAULT_HEAP);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (Exception e) {
            // could not start the child: run here, with scalar kernels, rather than not at all
            return false;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        Thread pump = new Thread(() -> dropIncubatorWarning(p.getErrorStream(), System.err), "stderr of the child JVM");
        pump.setDaemon(true);
        pump.start();
        int status;
        try {
            status = p.waitFor();
            pump.join(5_000);
        } catch (InterruptedException e) {
            status = 130;
        }
        System.err.flush();
        System.exit(status);
        return true;
    }

    /**
     * Copies {@code in} to {@code out} as it comes, except the lines that start with
     * {@value #INCUBATOR_WARNING}. Only the start of a line that could still be that warning is
     * held back; every other byte is written (and flushed) at once, so prompts and progress
     * output are not delayed.
     */
    static void dropIncubatorWarning(InputStream in, OutputStream out) {
        byte[] warning = INCUBATOR_WARNING.getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[8192];
        int held = 0; // bytes of the current line that match the warning so far (not yet written)
        boolean atLineStart = true;
        boolean dropping = false;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (dropping) {
                        dropping = b != '\n';
                        atLineStart = !dropping;
                    } else if (atLineStart && held < warning.length && b == warning[held]) {
                        if (++held == warning.length) {
                            dropping = true;
                            held = 0;
                            atLineStart = false;
                        }
                    } else {
                        if (held > 0) {
                            out.write(warning, 0, held);
                            held = 0;
                        }
                        out.write(b);
                        atLineStart = b == '\n';
                    }
                }
                out.flush();
            }
            if (held > 0) {
                out.write(warning, 0, held);
            }
            out.flush();
        } catch (IOException e) {
            // the child's stderr closed, or ours did: nothing left to pass on
        }
    }

    /**
     * In the relaunched JVM (the one given {@value #PARENT_PID}): dies at once if the parent JVM
     * is gone, now or later. Does nothing in a JVM that was not relaunched.
     */
    static void watchParent() {
        String property = System.getProperty(PARENT_PID);
        if (property == null) {
            return;
        }
        long parent;
        try {
            parent = Long.parseLong(property);
        } catch (NumberFormatException e) {
            return;
        }
        ParentDeathSignal.request();
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                    if (now != parent) {
                        // an orphan: the user saw the command end, so nothing more may be written
                        Runtime.getRuntime().halt(137);
                    }
                } catch (OutOfMemoryError e) {
                    // the command itself reports it; keep watching
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent watch");
        watcher.setDaemon(true);
        watcher.start();
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
