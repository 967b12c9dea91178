package org.symphonyrl.env.embedded;

import java.security.SecureRandom;

/**
 * numpy's default {@code PCG64} bit generator (128-bit LCG, XSL-RR output) with the two draws Gymnasium's
 * {@code np_random.uniform} uses. Seeded through {@link SeedSequence} it reproduces numpy's stream bit for bit,
 * so {@code reset(seed)} here starts where Gymnasium's {@code reset(seed=seed)} starts. The 128-bit state is
 * kept as two longs (high, low) with arithmetic modulo 2^128.
 */
final class Pcg64 {

    private static final long MULTIPLIER_HIGH = 2549297995355413924L;
    private static final long MULTIPLIER_LOW = 4865540595714422341L;
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    private long stateHigh;
    private long stateLow;
    private final long incrementHigh;
    private final long incrementLow;

    /**
     * numpy's {@code pcg64_set_seed}: {@code words} are {@code SeedSequence.generate_state(4, np.uint64)};
     * words 0 and 1 are the initial state (high, low), words 2 and 3 the stream selector.
     */
    private Pcg64(long[] words) {
        incrementHigh = (words[2] << 1) | (words[3] >>> 63);
        incrementLow = (words[3] << 1) | 1L; // the LCG increment must be odd
        step();
        long low = stateLow + words[1];
        stateHigh += words[0] + (Long.compareUnsigned(low, stateLow) < 0 ? 1 : 0);
        stateLow = low;
        step();
    }

    /** numpy's {@code PCG64(seed)}, the seed read as unsigned 64-bit (a negative long means seed + 2^64). */
    static Pcg64 seeded(long seed) {
        return new Pcg64(SeedSequence.ofUnsigned(seed).generateState64(4));
    }

    /** A generator from 128 bits of fresh entropy, as numpy's {@code PCG64()} without a seed. */
    static Pcg64 fromEntropy() {
        SecureRandom entropy = new SecureRandom();
        int[] words = new int[4];
        for (int i = 0; i < words.length; i++) {
            words[i] = entropy.nextInt();
        }
        return new Pcg64(new SeedSequence(words).generateState64(4));
    }

    /** {@code random_raw()}: the next 64 random bits. */
    long nextLong() {
        step();
        int rotation = (int) (stateHigh >>> 58);
        return Long.rotateRight(stateHigh ^ stateLow, rotation);
    }

    /** {@code random()}: uniform in [0, 1) on the 2^-53 grid. */
    double nextDouble() {
        return (nextLong() >>> 11) * TWO_TO_MINUS_53;
    }

    /** {@code uniform(low, high)}: numpy computes {@code low + (high - low) * random()}. */
    double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** state = state * multiplier + increment (mod 2^128). */
    private void step() {
        long productLow = stateLow * MULTIPLIER_LOW;
        long productHigh = unsignedMultiplyHigh(stateLow, MULTIPLIER_LOW)
                + stateLow * MULTIPLIER_HIGH + stateHigh * MULTIPLIER_LOW;
        long low = productLow + incrementLow;
        stateHigh = productHigh + incrementHigh + (Long.compareUnsigned(low, productLow) < 0 ? 1 : 0);
        stateLow = low;
    }

    /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrives only in Java 18). */
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
