package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.random.RandomStream;

/** Limited noise stays inside ±1 and actions strictly inside ±a_max, whatever the observation. */
class ActionBoundsTest {

    @Test
    void limitedNoiseNeverLeavesPlusMinusOne() {
        float[] extremes = {-1e30f, -100f, (float) -Math.E, -1f, 0f, 1f, (float) Math.E, 100f, 1e30f};
        for (LimitedNoise noise : new LimitedNoise[] {new LimitedNoise(1 / Math.E, Math.E),
                new LimitedNoise(1 / Math.PI, Math.PI)}) {
            for (float n : noise.limit(extremes)) {
                assertTrue(Math.abs(n) <= 1f, "noise " + n);
            }
        }
        float[] limited = new LimitedNoise(1 / Math.E, Math.E).limit(new float[] {1f, 5f});
        assertEquals((float) (1 / Math.E), limited[0], 0f, "inside the clamp the noise is n/e");
        assertEquals(1f, limited[1], 1e-7f, "the clamp is reached at e");
    }

    @Test
    void actionsStayStrictlyInsideTheScaleEvenForHugeObservations() {
        EnvSpec spec = Tiny.spec(5, 4); // a_max = 1, 2, 1, 2
        float[] max = {1, 2, 1, 2};
        RandomStream random = new RandomStream(4);
        try (SymphonyAgent agent = new SymphonyAgent(spec, Tiny.params(16, 4, 3, 12).build(), 2)) {
            for (int trial = 0; trial < 200; trial++) {
                float[] obs = new float[5];
                for (int i = 0; i < obs.length; i++) {
                    obs[i] = (float) (random.nextGaussian() * Math.pow(10, trial % 7));
                }
                for (ActMode mode : ActMode.values()) {
                    float[] action = agent.act(obs, mode);
                    for (int i = 0; i < action.length; i++) {
                        // |σ·A + N| ≤ 2, so |action| ≤ a_max·tanh(2) < a_max
                        assertTrue(Math.abs(action[i]) <= max[i] * (float) Math.tanh(2),
                                mode + " action " + Arrays.toString(action));
                    }
                }
            }
        }
    }

    @Test
    void actingComputesTheSameActionsAsTheTrainingForward() {
        RandomStream random = new RandomStream(12);
        float[] max = {1, 2, 1};
        try (ai.djl.ndarray.NDManager manager = ai.djl.engine.Engine.getEngine(PyTorchComputeEngine.ENGINE)
                .newBaseManager();
             Actor actor = Actor.initialised(manager, 5, 16, max, random)) {
            for (int trial = 0; trial < 20; trial++) {
                ai.djl.ndarray.NDArray state = manager.create(LimitedNoise.standardNormals(random, 5),
                        new ai.djl.ndarray.types.Shape(1, 5));
                float[] noise = new LimitedNoise(1 / Math.E, Math.E).limit(LimitedNoise.standardNormals(random, 3));
                ai.djl.ndarray.NDArray noiseArray = manager.create(noise, new ai.djl.ndarray.types.Shape(1, 3));
                for (ActMode mode : ActMode.values()) {
                    float[] engine = actor.forward(state, noiseArray, mode.active(), mode.noisy(), null).action()
                            .toFloatArray();
                    assertArrayEquals(engine, actor.act(state, noise, mode.active(), mode.noisy()), 1e-6f,
                            mode.toString());
                }
            }
        }
    }

    @Test
    void evaluationIsDeterministicAndTheFallIgnoresTheObservation() {
        EnvSpec spec = Tiny.spec(3, 2);
        try (SymphonyAgent a = new SymphonyAgent(spec, Tiny.params(8, 2, 3, 6).build(), 7);
             SymphonyAgent b = new SymphonyAgent(spec, Tiny.params(8, 2, 3, 6).build(), 7)) {
            float[] obs = {0.3f, -1f, 2f};
            assertArrayEquals(a.act(obs, ActMode.EVALUATE), a.act(obs, ActMode.EVALUATE));
            // active = 0: the action is a_max·tanh(N), the same noise for both agents whatever they see
            assertArrayEquals(a.act(obs, ActMode.FALL), b.act(new float[] {5f, 5f, -5f}, ActMode.FALL));
        }
    }

    @Test
    void actionScaleIsMaxOfOneAndTheBoundUnlessThePresetSetsIt() {
        EnvSpec humanoidLike = new EnvSpec("H", new float[] {-1}, new float[] {1}, new float[] {-0.4f, -2f},
                new float[] {0.4f, 2f}, 1000);
        assertArrayEquals(new float[] {1f, 2f}, ActionScale.of(humanoidLike, 0));
        assertArrayEquals(new float[] {3f, 3f}, ActionScale.of(humanoidLike, 3));
    }

    @Test
    void badObservationsAreRejectedWithTheReason() {
        try (SymphonyAgent agent = new SymphonyAgent(Tiny.spec(3, 2), Tiny.params(8, 2, 3, 6).build(), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> agent.act(new float[2], ActMode.TRAIN));
            assertTrue(e.getMessage().contains("length 2, expected 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> agent.act(new float[] {0, Float.NaN, 0}, ActMode.TRAIN));
        }
    }
}
