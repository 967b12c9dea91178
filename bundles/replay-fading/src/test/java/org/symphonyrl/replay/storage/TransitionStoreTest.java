package org.symphonyrl.replay.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Storage sizes and float16 precision. */
class TransitionStoreTest {

    @Test
    void float16HalvesTheMemoryAtHumanoidSize() {
        TransitionStore f32 = new TransitionStore(1000, 348, 17, false);
        TransitionStore f16 = new TransitionStore(1000, 348, 17, true);
        // per transition: (2 × 348 + 17) values of 4 or 2 bytes, and a float32 reward and discount
        assertEquals(1000L * ((2 * 348 + 17) * 4 + 8), f32.bytes());
        assertEquals(1000L * ((2 * 348 + 17) * 2 + 8), f16.bytes());
        double ratio = (double) f16.bytes() / f32.bytes();
        assertTrue(ratio < 0.502, "float16 / float32 = " + ratio);
    }

    @Test
    void float16RoundTripErrorIsWithinHalfAUnitInTheLastPlace() {
        TransitionStore store = new TransitionStore(64, 30, 5, true);
        Random rng = new Random(3);
        float[][] rows = new float[64][];
        for (int i = 0; i < 64; i++) {
            float[] s = new float[30];
            for (int j = 0; j < 30; j++) {
                s[j] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(9) - 4)); // 1e-4 … 1e4
            }
            rows[i] = s;
            store.append(s, new float[5], 0, s, 1f);
        }
        float[] out = new float[30];
        for (int i = 0; i < 64; i++) {
            store.copyRow(i, 0, out, new float[5], new float[1], new float[30], new float[1]);
            for (int j = 0; j < 30; j++) {
                float x = rows[i][j];
                // binary16 keeps 11 significant bits: relative error ≤ 2^-11 for normal numbers,
                // absolute error ≤ 2^-25 (half the smallest subnormal step) below 2^-14
                double bound = Math.abs(x) >= 0x1p-14 ? Math.abs(x) * 0x1p-11 : 0x1p-25;
                assertTrue(Math.abs(out[j] - x) <= bound, x + " came back as " + out[j]);
            }
        }
    }

    @Test
    void aStoreThatDoesNotFitOneArrayIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TransitionStore(10_000_000, 348, 17, true));
        assertTrue(e.getMessage().contains("does not fit one Java array"), e.getMessage());
    }
}
