package org.cnn4j.internal.kernels;

import java.lang.reflect.Method;

/**
 * Bytes allocated so far by the calling thread ({@code com.sun.management.ThreadMXBean}). Called
 * reflectively because the library's module does not read {@code java.management}; core
 * reflection needs no readability. Each call itself allocates a few bytes (the boxed result).
 */
final class AllocatedBytes {
    private static final Object BEAN;
    private static final Method CURRENT;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            CURRENT = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocatedBytes() {
    }

    static long current() {
        try {
            return (long) CURRENT.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
