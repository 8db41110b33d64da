package org.cnn4j.internal.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Whether to use the Vector API kernels, decided once from four facts about the running JVM, as
 * Lucene's {@code VectorizationProvider} does: the incubator module must be present, the VM must be
 * HotSpot (OpenJDK's server VM, whose C2 compiler turns the Vector API into SIMD instructions; on
 * other VMs the same code runs as slow boxed objects), and the JDK feature version must be one the
 * kernels were tested on.
 *
 * <p>Newer feature versions than {@link #TESTED_UP_TO} get the scalar kernels and a WARNING that
 * names {@code -Dcnn4j.vector=true}: {@code jdk.incubator.vector} is an incubator module whose API
 * may change in any release, and a change would show up as a {@link LinkageError} or a slow path in
 * the middle of training, far from its cause. A loud, one-flag opt-in is the safer default; raise
 * {@link #TESTED_UP_TO} once the tests (which compare every vector kernel with its scalar twin) pass
 * on the new JDK.
 *
 * <p>The system property {@code cnn4j.vector} overrides the version and VM checks: {@code true}
 * forces the vector kernels on (they still need the module), {@code false} forces the scalar ones.
 */
public final class VectorPolicy {
    /** The newest JDK feature version the vector kernels were tested on. */
    public static final int TESTED_UP_TO = 25;
    /** The oldest: the kernels use Vector API methods of JDK 25. */
    public static final int TESTED_FROM = 25;

    /** The module flag a user must add. */
    static final String FLAG = "--add-modules jdk.incubator.vector";
    /** What the scalar kernels cost, as measured on the seed CNN (README: 20-32 against 409-461 images/s). */
    static final String COST = "training runs about 15-20x slower";

    private VectorPolicy() {
    }

    /**
     * The outcome: whether to use the vector kernels, and the one line to log about it.
     *
     * @param vector true to use the Vector API kernels
     * @param level the level of {@code message}: WARNING when the scalar kernels run by accident
     * @param message the line to log, naming the cause and the remedy
     */
    public record Decision(boolean vector, Level level, String message) {
    }

    /** The decision for the running JVM. */
    public static Decision current() {
        return decide(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                System.getProperty("java.vm.name", ""), Runtime.version().feature(),
                System.getProperty("cnn4j.vector"));
    }

    /**
     * The decision as a pure function of its inputs, so that every case can be tested.
     *
     * @param modulePresent whether {@code jdk.incubator.vector} is in the boot layer
     * @param vmName the {@code java.vm.name} property
     * @param feature the JDK feature version ({@code Runtime.version().feature()})
     * @param property the {@code cnn4j.vector} property: null or {@code auto}, {@code true}, {@code false}
     * @return whether to use the vector kernels and what to log
     */
    public static Decision decide(boolean modulePresent, String vmName, int feature, String property) {
        String p = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        String ignored = "";
        if (!p.equals("auto") && !p.equals("true") && !p.equals("false")) {
            ignored = " (ignoring -Dcnn4j.vector=" + property.trim() + ": expected true, false or auto)";
            p = "auto";
        }
        if (p.equals("false")) {
            return new Decision(false, Level.INFO, "cnn4j: scalar kernels, as -Dcnn4j.vector=false asks");
        }
        if (!modulePresent) {
            return new Decision(false, Level.WARNING, "cnn4j: the Vector API module is absent, so the scalar kernels "
                    + "run and " + COST + "; add " + FLAG + " to the java command line" + ignored);
        }
        if (p.equals("true")) {
            return new Decision(true, Level.INFO, "cnn4j: Vector API kernels, as -Dcnn4j.vector=true asks (" + vmName
                    + ", Java " + feature + ")");
        }
        if (!isHotSpot(vmName)) {
            return new Decision(false, Level.WARNING, "cnn4j: the Vector API kernels need HotSpot's server compiler, "
                    + "not " + vmName + ", so the scalar kernels run and " + COST
                    + "; -Dcnn4j.vector=true forces them on" + ignored);
        }
        if (feature < TESTED_FROM || feature > TESTED_UP_TO) {
            return new Decision(false, Level.WARNING, "cnn4j: the Vector API kernels were tested on Java "
                    + TESTED_FROM + (TESTED_FROM == TESTED_UP_TO ? "" : "-" + TESTED_UP_TO) + ", not " + feature
                    + " (the incubator API may have changed), so the scalar kernels run and " + COST
                    + "; -Dcnn4j.vector=true forces them on" + ignored);
        }
        return new Decision(true, Level.INFO, "cnn4j: Vector API kernels (" + vmName + ", Java " + feature + ")" + ignored);
    }

    /** HotSpot's server VM: OpenJDK builds and Oracle's name it so; OpenJ9, client VMs and others do not. */
    static boolean isHotSpot(String vmName) {
        return vmName != null && (vmName.contains("HotSpot") || vmName.startsWith("OpenJDK"))
                && vmName.contains("Server VM");
    }
}
