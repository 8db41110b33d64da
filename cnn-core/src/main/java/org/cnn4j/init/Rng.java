package org.cnn4j.init;

/**
 * A small, fast, seedable random stream (SplitMix64) whose whole state is one {@code long}, so a
 * checkpoint can save and restore it exactly. Not thread-safe: give each consumer its own stream,
 * derived with {@link #fork(long)}.
 */
public final class Rng {
    private long state;

    /**
     * A stream starting from {@code seed}.
     *
     * @param seed the seed
     */
    public Rng(long seed) {
        this.state = seed;
    }

    /**
     * The next 64 random bits.
     *
     * @return the bits
     */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Uniform in [0, 1) with 24 random bits.
     *
     * @return a float in {@code [0, 1)}
     */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Uniform in [0, 1) with 53 random bits.
     *
     * @return a double in {@code [0, 1)}
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [lo, hi).
     *
     * @param lo the lower bound, included
     * @param hi the upper bound, excluded
     * @return the value
     */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Uniform integer in [0, bound), without modulo bias (Lemire's method).
     *
     * @param bound the upper bound, excluded, at least 1
     * @return the value
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long l = m & 0xFFFFFFFFL;
        if (l < bound) {
            long t = (0x1_0000_0000L - bound) % bound;
            while (l < t) {
                m = (nextLong() >>> 32) * bound;
                l = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * In-place Fisher-Yates shuffle.
     *
     * @param a the array to shuffle
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * An independent stream derived from this one's seed state and a salt; this stream does not advance.
     *
     * @param salt tells the forks of one stream apart (such as a layer's index)
     * @return the new stream
     */
    public Rng fork(long salt) {
        Rng r = new Rng(state ^ (salt * 0xD1B54A32D192ED03L));
        r.nextLong();
        return new Rng(r.nextLong());
    }

    /**
     * The whole state, for checkpoints.
     *
     * @return the state
     */
    public long state() {
        return state;
    }

    /**
     * Restores a state saved with {@link #state()}.
     *
     * @param state a value {@link #state()} returned
     */
    public void setState(long state) {
        this.state = state;
    }
}
