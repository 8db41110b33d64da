package org.cnn4j.internal.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Where a kernel's tail vector (its first {@code nv} lanes valid) is read from and written to.
 *
 * <p>Why: when a whole vector at {@code off} would run past the end of its array, a masked
 * {@code fromArray}/{@code intoArray} takes the JDK's slower path that checks each lane against
 * the array's length, and in C2-compiled kernels that path allocated a boolean array per call
 * (JFR: {@code AbstractMask.checkIndexByLane}), about 26 KB per training step of the seed CNN.
 * Such a tail goes through a small per-thread buffer instead, so every vector access is in range.
 *
 * <p>How, at each tail: load {@code fromArray(FS, src(a, off, nv), at(a, off), mask)}; store
 * {@code v.intoArray(dst(a, off), at(a, off), mask)} then {@code flush(a, off, nv)}. These methods
 * deal in arrays and ints only, never in vectors: a vector passed through a call that C2 does not
 * inline (tails are cold, so their calls often are not) is boxed, the very allocation to avoid.
 */
final class Tails {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static final class Buffers {
        final float[] floats = new float[L];
        final int[] ints = new int[L];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Tails() {
    }

    private static boolean inRange(int length, int off) {
        return off + L <= length;
    }

    /** The offset to access at: {@code off} itself, or 0 in the buffer. */
    static int at(float[] a, int off) {
        return inRange(a.length, off) ? off : 0;
    }

    /** {@link #at(float[], int)} for int arrays. */
    static int at(int[] a, int off) {
        return inRange(a.length, off) ? off : 0;
    }

    /** The array to load the {@code nv} lanes at {@code off} from: {@code a}, or the buffer holding them then zeros. */
    static float[] src(float[] a, int off, int nv) {
        if (inRange(a.length, off)) {
            return a;
        }
        float[] b = BUFFERS.get().floats;
        int n = Math.max(0, Math.min(nv, L));
        if (n > 0) { // with no valid lane, off may lie past the end
            System.arraycopy(a, off, b, 0, n);
        }
        java.util.Arrays.fill(b, n, L, 0f);
        return b;
    }

    /** The array to store lanes for {@code a[off..]} into: {@code a}, or the buffer ({@link #flush} copies it). */
    static float[] dst(float[] a, int off) {
        return inRange(a.length, off) ? a : BUFFERS.get().floats;
    }

    /** {@link #dst(float[], int)} for int arrays. */
    static int[] dstInts(int[] a, int off) {
        return inRange(a.length, off) ? a : BUFFERS.get().ints;
    }

    /** After a store through {@link #dst}: copies the {@code nv} valid lanes from the buffer, if it was used. */
    static void flush(float[] a, int off, int nv) {
        if (!inRange(a.length, off) && nv > 0) {
            System.arraycopy(BUFFERS.get().floats, 0, a, off, Math.min(nv, L));
        }
    }

    /** {@link #flush(float[], int, int)} for int arrays. */
    static void flushInts(int[] a, int off, int nv) {
        if (!inRange(a.length, off) && nv > 0) {
            System.arraycopy(BUFFERS.get().ints, 0, a, off, Math.min(nv, L));
        }
    }
}
