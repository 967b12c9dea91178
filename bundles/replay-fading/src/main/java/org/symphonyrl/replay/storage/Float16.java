package org.symphonyrl.replay.storage;

/**
 * IEEE 754 half precision (binary16), for the ED preset's float16 buffer. Java 17 has no
 * conversion of its own (Float.floatToFloat16 came in Java 20). Narrowing rounds to nearest,
 * ties to even, as numpy and PyTorch do; widening is exact and goes through a 64K table, which
 * measured no slower than widening by bit arithmetic and is exact for every code.
 */
public final class Float16 {

    /**
     * Magnitudes at or above this round to infinity in float16: halfway between the largest finite
     * float16, 65504, and the next power 65536.
     */
    public static final float OVERFLOW = 65520f;

    private static final int OVERFLOW_BITS = Float.floatToRawIntBits(OVERFLOW);

    /** Float bits of 2^-14, the smallest normal float16. */
    private static final int SMALLEST_NORMAL = Float.floatToRawIntBits(0x1p-14f);

    /** Every float16 code's float value. */
    private static final float[] WIDE = new float[1 << 16];

    static {
        for (int h = 0; h < WIDE.length; h++) {
            WIDE[h] = widenSlow((short) h);
        }
    }

    private Float16() {
    }

    /** Whether {@code f} narrows to a finite float16. */
    public static boolean fits(float f) {
        return Math.abs(f) < OVERFLOW;
    }

    /** The float16 nearest to {@code f} (ties to even); overflow gives ±infinity. */
    public static short narrow(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFFFFFF;
        if (magnitude >= SMALLEST_NORMAL && magnitude < OVERFLOW_BITS) {
            // the common case, a normal float16: round the 13 dropped bits to nearest, ties to even
            // (a carry runs into the exponent, which is right), then rebias the exponent from 127 to 15
            int rounded = magnitude + 0x0FFF + ((magnitude >>> 13) & 1);
            return (short) (sign | ((rounded >>> 13) - ((127 - 15) << 10)));
        }
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }

    /** The exact float value of a float16. */
    public static float widen(short h) {
        return WIDE[h & 0xFFFF];
    }

    /** Widens {@code n} float16 values from {@code from[offset..]} into {@code to[at..]}. */
    public static void widen(short[] from, int offset, float[] to, int at, int n) {
        for (int j = 0; j < n; j++) {
            to[at + j] = WIDE[from[offset + j] & 0xFFFF];
        }
    }

    private static float widenSlow(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1.0p-24f; // subnormal: mant × 2^-24, exact in float
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
