package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Batch;
import org.symphonyrl.replay.storage.Transitions;

/**
 * The positions a full buffer draws follow p_i ∝ tanh((π·i/N)^e): a chi-square test at a fixed seed
 * with enough draws that the wrong curves fail it.
 */
class FadingSamplingTest {

    private static final int N = 40;
    private static final int DRAWS = 400_000;
    /** chi2.ppf(0.999, 38), from src/test/python/golden_values.py: 39 positions can be drawn. */
    private static final double CRITICAL_38 = 70.703;

    @Test
    void positionsFollowTheFadingCurve() {
        long[] counts = drawnPositions(0, 0);
        assertEquals(0, counts[0], "the oldest position has weight tanh(0) = 0");
        double fading = chiSquare(counts, i -> Math.tanh(Math.pow(Math.PI * i / N, Math.E)));
        double uniform = chiSquare(counts, i -> 1.0);
        double withoutPower = chiSquare(counts, i -> Math.tanh(Math.PI * i / N));
        assertTrue(fading < CRITICAL_38, "fading curve rejected: chi-square " + fading);
        assertTrue(uniform > 100 * CRITICAL_38, "a uniform curve would pass: chi-square " + uniform);
        assertTrue(withoutPower > 10 * CRITICAL_38, "tanh without the power e would pass: chi-square " + withoutPower);
    }

    @Test
    void theDimpleLowersTheNewestPositions() {
        // a dimple large enough to see at this sample size; S~2's own constants are pinned in FadingCurveTest
        double a = 0.3;
        double w = 0.1;
        long[] counts = drawnPositions(a, w);
        IntToDoubleFunction plain = i -> Math.tanh(Math.pow(Math.PI * i / N, Math.E));
        double dimpled = chiSquare(counts, i -> plain.applyAsDouble(i) - a * Math.exp(-Math.pow((i / (double) N - 1) / w, 2)));
        double undimpled = chiSquare(counts, plain);
        double dimpleAtOldest = chiSquare(counts, i -> plain.applyAsDouble(i) - a * Math.exp(-Math.pow((i / (double) N) / w, 2)));
        assertTrue(dimpled < CRITICAL_38, "dimpled curve rejected: chi-square " + dimpled);
        assertTrue(undimpled > 10 * CRITICAL_38, "the plain curve would pass: chi-square " + undimpled);
        assertTrue(dimpleAtOldest > 10 * CRITICAL_38, "a dimple at the oldest end would pass: " + dimpleAtOldest);
    }

    @Test
    void aBufferStillFillingDrawsOnlyWhatItHolds() {
        FadingReplayBuffer b = Fading.buffer(100, 1);
        for (int id = 1; id <= 10; id++) {
            Transitions.add(b, id, 1, false);
        }
        long[] counts = new long[11];
        Batch batch = b.sample(20_000);
        for (int k = 0; k < batch.size(); k++) {
            counts[(int) batch.states()[2 * k]]++;
        }
        assertEquals(0, counts[0], "an empty slot was drawn");
        assertEquals(0, counts[1], "position 0 of 10 has weight 0");
        for (int id = 2; id <= 10; id++) {
            assertTrue(counts[id] > 0, "id " + id + " never drawn");
        }
        assertTrue(counts[10] > 10 * counts[2], "the newest is drawn far more often than the second oldest");
    }

    /** Counts of drawn logical positions of a full buffer holding ids whose position is known. */
    private static long[] drawnPositions(double dimpleAmplitude, double dimpleWidth) {
        FadingReplayBuffer b = new FadingReplayBuffer(Transitions.spec(2, 1),
                Transitions.params(N, 1, false, dimpleAmplitude, dimpleWidth), 12345);
        for (int id = 0; id < N; id++) {
            Transitions.add(b, id, 1, false);
        }
        // the add that fills the buffer rotates it once: position i holds id (i + 1) mod N
        int[] expected = new int[N];
        for (int k = 0; k < N; k++) {
            expected[k] = (k + N - 1 + 1) % N; // snapshot row k is position (k + N − 1) mod N
        }
        assertArrayEquals(expected, Transitions.ids(b.snapshot()));
        long[] counts = new long[N];
        for (int s = 0; s < DRAWS / 4000; s++) {
            Batch batch = b.sample(4000);
            for (int k = 0; k < batch.size(); k++) {
                int id = (int) batch.states()[k * 2];
                counts[(id + N - 1) % N]++;
            }
        }
        return counts;
    }

    /** Pearson's statistic of {@code counts} against weights w(i), over positions with positive weight. */
    private static double chiSquare(long[] counts, IntToDoubleFunction weight) {
        double sum = 0;
        for (int i = 0; i < N; i++) {
            sum += weight.applyAsDouble(i);
        }
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        double chi = 0;
        for (int i = 0; i < N; i++) {
            double expected = total * weight.applyAsDouble(i) / sum;
            if (expected > 0) {
                chi += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        return chi;
    }
}
