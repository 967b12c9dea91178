package org.symphonyrl.api.random;

/**
 * xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Unlike {@code java.util.Random}
 * its whole state is four longs that can be saved in a checkpoint and restored, and streams for
 * separate purposes (agent noise, buffer sampling, environment seeds) are derived from one run
 * seed by name, so adding a stream does not shift the others.
 */
public final class RandomStream {

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A stream seeded from {@code seed}. */
    public RandomStream(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private RandomStream(long[] state) {
        setState(state);
    }

    /** The stream of purpose {@code name} under {@code seed}: the same pair always gives the same stream. */
    public static RandomStream derive(long seed, String name) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return new RandomStream(splitMix(seed) ^ splitMix(h));
    }

    /** A stream continuing from a saved {@link #state()}. */
    public static RandomStream fromState(long[] state) {
        return new RandomStream(state);
    }

    /** The four state words; {@link #fromState(long[])} continues exactly here. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** Continues from a saved state. */
    public void setState(long[] state) {
        if (state == null || state.length != 4) {
            throw new IllegalArgumentException("a RandomStream state is 4 longs");
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("the all-zero state is not a valid xoshiro256** state");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * Standard normal by the Box–Muller transform. One value per call (the second is dropped) so
     * the state alone determines the next value.
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1], keeps log finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
