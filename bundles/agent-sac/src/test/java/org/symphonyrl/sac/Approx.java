package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * The float32 bar of the golden tests: every element within 1e-5 of the tensor's largest magnitude. The Java
 * side computes in float32 (unit roundoff 6e-8) through a handful of layers of at most a few dozen terms, so
 * its rounding stays near 1e-6 of the values involved; element-wise relative error is no bar, because a
 * gradient element that is a small sum of large terms keeps only the terms' absolute precision. 1e-5 leaves
 * a margin of ten over that and still catches any wrong term (the smallest, a learning-rate step of 1e-3
 * on weights of 0.3, is 300 times larger).
 */
final class Approx {

    static final double RELATIVE = 1e-5;

    private Approx() {
    }

    static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tolerance = RELATIVE * scale + 1e-12;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (error "
                        + Math.abs(actual[i] - expected[i]) / scale + " of the largest value)\nexpected "
                        + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
        }
    }

    static void assertClose(String what, double expected, double actual) {
        assertClose(what, new double[] {expected}, new float[] {(float) actual});
    }
}
