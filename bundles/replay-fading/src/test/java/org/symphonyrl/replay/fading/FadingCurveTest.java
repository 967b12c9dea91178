package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.random.RandomStream;

/** The sampling curve against numpy's numbers (src/test/python/golden_values.py), and the alias table. */
class FadingCurveTest {

    @Test
    void plainCurveMatchesNumpy() {
        double[] numpy = {0.0, 0.04293826785517711, 0.27544437622501566, 0.6917265839246982, 0.9527450692490683,
                0.9978310466070275, 0.9999727632167973, 0.9999999200934085, 0.9999999999537605, 0.9999999999999956};
        FadingCurve curve = new FadingCurve(0, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(numpy[i], curve.weight(i, 10), 1e-15, "position " + i);
        }
    }

    @Test
    void s2TildeDimpleSitsAtTheNewestEnd() {
        int[] positions = {1, 10, 25, 48, 49};
        double[] numpy = {0.0005408964520285208, 0.27544437622501566, 0.9978310466070275, 0.9996336872222253,
                0.9926424111765711};
        FadingCurve curve = new FadingCurve(0.02, 0.02);
        for (int k = 0; k < positions.length; k++) {
            assertEquals(numpy[k], curve.weight(positions[k], 50), 1e-15, "position " + positions[k]);
        }
    }

    @Test
    void aDimpleDeeperThanTheCurveLeavesWeightZero() {
        FadingCurve deep = new FadingCurve(1.5, 0.1);
        assertEquals(0.0, deep.weight(99, 100));    // 0.99999… − 1.5·exp(−0.01) < 0
        assertEquals(0.0, deep.weight(0, 100));     // tanh(0) − 1.5·exp(−100) < 0
        assertEquals(Math.tanh(Math.pow(Math.PI * 0.5, Math.E)) - 1.5 * Math.exp(-25), deep.weight(50, 100), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new FadingCurve(0.02, 0));
        assertThrows(IllegalArgumentException.class, () -> new FadingCurve(-0.02, 0.02));
    }

    @Test
    void oneStoredTransitionIsTheOnlyChoice() {
        assertEquals(1.0, new FadingCurve(0, 0).weights(1)[0]);
    }

    @Test
    void aliasTableEncodesTheNormalisedWeights() {
        Random rng = new Random(7);
        for (int run = 0; run < 50; run++) {
            int n = 1 + rng.nextInt(300);
            double[] w = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = rng.nextInt(4) == 0 ? 0 : rng.nextDouble() * 10;
                sum += w[i];
            }
            if (sum == 0) {
                w[0] = 1;
                sum = 1;
            }
            AliasTable table = new AliasTable(w);
            for (int i = 0; i < n; i++) {
                assertEquals(w[i] / sum, table.probabilityOf(i), 1e-12, "n " + n + " position " + i);
            }
        }
    }

    @Test
    void aliasTableRefusesWeightsWithoutAProbability() {
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, -1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, Double.NaN}));
    }

    @Test
    void aZeroWeightIsNeverDrawn() {
        AliasTable table = new AliasTable(new double[] {0, 1, 0, 3, 0});
        RandomStream r = new RandomStream(1);
        for (int k = 0; k < 100_000; k++) {
            int i = table.draw(r);
            assertTrue(i == 1 || i == 3, "drew " + i);
        }
    }
}
