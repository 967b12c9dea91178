package org.symphonyrl.env.embedded;

/**
 * numpy's {@code SeedSequence} (O'Neill's seed_seq hashing, numpy 1.17+) for integer entropy and no spawn
 * key: it turns a seed into the state words of a bit generator exactly as {@code np.random.SeedSequence(seed)}
 * does, so that {@link Pcg64} starts where numpy's {@code PCG64(seed)} starts. All arithmetic is on
 * unsigned 32-bit words; Java's wrapping {@code int} multiply gives the same bits.
 */
final class SeedSequence {

    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final int[] pool = new int[POOL_SIZE];
    private int hashConst = INIT_A;

    /** The sequence of {@code entropy}, given as numpy's little-endian uint32 words of the integer. */
    SeedSequence(int[] entropy) {
        if (entropy.length == 0) {
            throw new IllegalArgumentException("SeedSequence entropy needs at least one word (the integer 0 is [0])");
        }
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
        }
        // Mix all words together so that late words affect early ones.
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src]));
                }
            }
        }
        for (int src = POOL_SIZE; src < entropy.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropy[src]));
            }
        }
    }

    /** {@code SeedSequence(seed)} for a seed read as an unsigned 64-bit integer (Python's {@code seed % 2**64}). */
    static SeedSequence ofUnsigned(long seed) {
        int low = (int) seed;
        int high = (int) (seed >>> 32);
        return new SeedSequence(high == 0 ? new int[] {low} : new int[] {low, high});
    }

    /** The entropy pool, for tests against numpy's {@code SeedSequence.pool}. */
    int[] pool() {
        return pool.clone();
    }

    /** {@code generate_state(n, np.uint64)}: pairs of uint32 words joined little-endian. */
    long[] generateState64(int n) {
        int[] words = new int[2 * n];
        int hash = INIT_B;
        for (int i = 0; i < words.length; i++) {
            int value = pool[i % POOL_SIZE] ^ hash;
            hash *= MULT_B;
            value *= hash;
            words[i] = value ^ (value >>> XSHIFT);
        }
        long[] state = new long[n];
        for (int i = 0; i < n; i++) {
            state[i] = Integer.toUnsignedLong(words[2 * i]) | ((long) words[2 * i + 1] << 32);
        }
        return state;
    }

    private int hashmix(int value) {
        value ^= hashConst;
        hashConst *= MULT_A;
        value *= hashConst;
        return value ^ (value >>> XSHIFT);
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        return result ^ (result >>> XSHIFT);
    }
}
