package org.symphonyrl.env.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** SeedSequence and PCG64 against numpy's own words (seeded_resets.json), bit for bit. */
class NumpyRandomTest {

    @Test
    void seedSequencePoolAndStateMatchNumpy() {
        for (JsonObject c : Golden.cases("seeded_resets.json")) {
            SeedSequence sequence = SeedSequence.ofUnsigned(c.get("javaSeed").getAsLong());
            long[] pool = Golden.unsignedLongs(c.get("pool"));
            int[] expectedPool = new int[pool.length];
            for (int i = 0; i < pool.length; i++) {
                expectedPool[i] = (int) pool[i];
            }
            String seed = c.get("seed").getAsString();
            assertArrayEquals(expectedPool, sequence.pool(), "pool of SeedSequence(" + seed + ")");
            assertArrayEquals(Golden.unsignedLongs(c.get("pcg64State")), sequence.generateState64(4),
                    "generate_state(4, uint64) of SeedSequence(" + seed + ")");
        }
    }

    @Test
    void pcg64RawOutputMatchesNumpy() {
        for (JsonObject c : Golden.cases("seeded_resets.json")) {
            Pcg64 bits = Pcg64.seeded(c.get("javaSeed").getAsLong());
            long[] expected = Golden.unsignedLongs(c.get("raw"));
            long[] actual = new long[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = bits.nextLong();
            }
            assertArrayEquals(expected, actual, "PCG64(" + c.get("seed").getAsString() + ").random_raw(3)");
        }
    }

    @Test
    void emptyEntropyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SeedSequence(new int[0]));
    }
}
