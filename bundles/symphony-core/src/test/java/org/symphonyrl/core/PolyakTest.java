package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.random.RandomStream;

/** θ_T ← (1 − τ)·θ_T + τ·θ, parameter by parameter, for every critic. */
class PolyakTest {

    @Test
    void theTargetMovesATauOfTheWayTowardsTheOnlineCritics() {
        try (NDManager manager = Engine.getEngine(PyTorchComputeEngine.ENGINE).newBaseManager();
             Critics online = Critics.initialised(manager, 3, 5, 8, 2, new RandomStream(1));
             Critics target = Critics.initialised(manager, 3, 5, 8, 2, new RandomStream(2));
             Polyak polyak = new Polyak(manager, 0.25)) {
            float[][] before = new float[27][];
            float[][] source = new float[27][];
            int n = 0;
            for (int i = 0; i < 3; i++) {
                for (String p : FeedForward.NAMES) {
                    before[n] = target.networks().get(i).parameters().get(p).toFloatArray();
                    source[n++] = online.networks().get(i).parameters().get(p).toFloatArray();
                }
            }
            polyak.average(target, online);
            n = 0;
            for (int i = 0; i < 3; i++) {
                for (String p : FeedForward.NAMES) {
                    float[] expected = new float[before[n].length];
                    for (int j = 0; j < expected.length; j++) {
                        expected[j] = 0.75f * before[n][j] + 0.25f * source[n][j];
                    }
                    assertArrayEquals(expected, target.networks().get(i).parameters().get(p).toFloatArray(), 1e-7f,
                            "critic " + i + " " + p);
                    assertArrayEquals(source[n], online.networks().get(i).parameters().get(p).toFloatArray(),
                            "the online critic " + i + " " + p + " is not touched");
                    n++;
                }
            }
            assertEquals(27, n);
        }
    }
}
