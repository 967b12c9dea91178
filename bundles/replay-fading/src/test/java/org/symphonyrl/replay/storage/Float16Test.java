package org.symphonyrl.replay.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Float16 against the IEEE 754 definition, exhaustively over the 65,536 codes, and against numpy's
 * conversion for a few values (src/test/python/golden_values.py).
 */
class Float16Test {

    /** The value of a binary16 code straight from the definition. */
    private static double definition(int h) {
        int sign = (h & 0x8000) != 0 ? -1 : 1;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            return sign * Math.scalb((double) mantissa, -24);
        }
        return sign * Math.scalb((double) (1024 + mantissa), exponent - 25);
    }

    @Test
    void widenIsExactForEveryFiniteCodeAndNarrowInvertsIt() {
        for (int h = 0; h < 1 << 16; h++) {
            if (((h >>> 10) & 0x1F) == 0x1F) {
                continue; // infinities and NaNs are never stored
            }
            float f = Float16.widen((short) h);
            assertEquals(definition(h), f, 0.0, "code 0x" + Integer.toHexString(h));
            assertEquals(h, Float16.narrow(f) & 0xFFFF, "round trip of 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void narrowRoundsToNearestTiesToEven() {
        for (int h = 0; h < 0x7BFF; h++) { // every pair of neighbouring positive finite codes
            float lo = Float16.widen((short) h);
            float hi = Float16.widen((short) (h + 1));
            float mid = (lo + hi) / 2; // exact: float32 has 13 more mantissa bits
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Float16.narrow(mid), "tie between 0x" + Integer.toHexString(h) + " and its successor");
            assertEquals(h, Float16.narrow(Math.nextDown(mid)), "below the tie after 0x" + Integer.toHexString(h));
            assertEquals(h + 1, Float16.narrow(Math.nextUp(mid)), "above the tie after 0x" + Integer.toHexString(h));
            assertEquals(h | 0x8000, Float16.narrow(-Math.nextDown(mid)) & 0xFFFF, "negative of 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void agreesWithNumpy() {
        assertEquals(0x2e66, Float16.narrow(0.1f));
        assertEquals(0x3555, Float16.narrow(1f / 3));
        assertEquals(0x7bff, Float16.narrow(65504f));
        assertEquals(0x7bff, Float16.narrow(65519f));
        assertEquals(0x7c00, Float16.narrow(65520f));
        assertEquals(0x0000, Float16.narrow(1e-8f));
        assertEquals(0x0001, Float16.narrow(6e-8f));
        assertEquals(0x0000, Float16.narrow(0x1p-25f));
        assertEquals(0x0001, Float16.narrow(3 * 0x1p-26f));
        assertEquals(0x81a3, Float16.narrow(-2.5e-5f) & 0xFFFF);
        assertEquals(0x64d3, Float16.narrow(1234.5678f));
        assertEquals(0x0400, Float16.narrow(0x1p-14f));
        assertEquals(0x4248, Float16.narrow(3.14159265f));
    }

    @Test
    void fitsIsTheOverflowBoundary() {
        assertTrue(Float16.fits(65519.996f));
        assertTrue(Float16.fits(-65504f));
        assertFalse(Float16.fits(65520f));
        assertFalse(Float16.fits(-1e6f));
        assertTrue(Float.isFinite(Float16.widen(Float16.narrow(Math.nextDown(Float16.OVERFLOW)))));
    }
}
