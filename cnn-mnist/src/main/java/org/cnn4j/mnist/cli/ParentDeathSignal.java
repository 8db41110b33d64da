package org.cnn4j.mnist.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Linux's {@code prctl(PR_SET_PDEATHSIG, SIGKILL)}: the kernel kills this process the moment its
 * parent dies, with no polling delay. Best effort: on another system, or if the call is not
 * allowed, nothing happens and {@link Relauncher#watchParent()}'s polling thread remains.
 */
final class ParentDeathSignal {
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int SIGKILL = 9;

    private ParentDeathSignal() {
    }

    /** Asks the kernel to SIGKILL this process when its parent dies; returns whether it agreed. */
    static boolean request() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            return (int) prctl.invokeExact(PR_SET_PDEATHSIG, (long) SIGKILL) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
