package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.random.RandomStream;

/** Actions: inside the bounds, deterministic in evaluation, samples of π in training, uniform in the warm-up. */
class ActingTest extends WithPyTorch {

    private static final EnvSpec SPEC = Specs.spec(5, 4); // [−1, 1], [0.5, 3.5], [−1, 1], [0.5, 3.5]

    @Test
    void actionsStayInsideTheBoundsEvenForHugeObservations() {
        RandomStream random = new RandomStream(4);
        try (SacAgent agent = new SacAgent(SPEC, Specs.small("logStdMax", 5), 2)) {
            for (int trial = 0; trial < 300; trial++) {
                float[] obs = new float[5];
                for (int i = 0; i < obs.length; i++) {
                    obs[i] = (float) (random.nextGaussian() * Math.pow(10, trial % 9));
                }
                for (ActMode mode : ActMode.values()) {
                    float[] action = agent.act(obs, mode);
                    for (int i = 0; i < action.length; i++) {
                        assertTrue(action[i] >= SPEC.actionLow()[i] && action[i] <= SPEC.actionHigh()[i],
                                mode + " action " + Arrays.toString(action) + " for " + Arrays.toString(obs));
                    }
                }
            }
        }
    }

    @Test
    void theJavaSideOfActingComputesTheSameActionsAsTheTrainingSample() {
        RandomStream random = new RandomStream(12);
        float[] low = {-1, 0.5f, -2};
        float[] high = {1, 3.5f, 2};
        try (GaussianPolicy policy = GaussianPolicy.initialised(manager, 5, 16, low, high, -0.1, 0.1, random)) {
            for (int trial = 0; trial < 20; trial++) {
                NDArray state = manager.create(SacAgent.standardNormals(random, 5), new Shape(1, 5));
                float[] noise = SacAgent.standardNormals(random, 3);
                float[] engine = policy.sample(state, manager.create(noise, new Shape(1, 3))).action().toFloatArray();
                assertArrayEquals(engine, policy.act(state, noise), 1e-6f, "sample");
                float[] mean = policy.sample(state, manager.zeros(new Shape(1, 3))).action().toFloatArray();
                assertArrayEquals(mean, policy.act(state, null), 1e-6f, "deterministic: scale·tanh(μ) + bias");
            }
        }
    }

    @Test
    void trainingActionsAreSamplesOfTheSquashedGaussianAndEvaluationIsItsMode() {
        float[] obs = {0.3f, -1f, 2f, 0.5f, -0.2f};
        int n = 4000;
        try (SacAgent agent = new SacAgent(SPEC, Specs.small(), 3)) {
            float[] y;
            try (NDManager scope = manager.newSubManager()) {
                y = agent.policy().network().forward(scope.create(obs, new Shape(1, 5))).toFloatArray();
            }
            double[][] u = new double[4][n];
            for (int k = 0; k < n; k++) {
                float[] a = agent.act(obs, ActMode.TRAIN);
                for (int i = 0; i < 4; i++) {
                    u[i][k] = preSquash(i, a[i]);
                }
            }
            float[] evaluation = agent.act(obs, ActMode.EVALUATE);
            for (int i = 0; i < 4; i++) {
                double mu = y[i];
                double sigma = Math.exp(Math.max(-20, Math.min(2, y[4 + i])));
                double mean = Arrays.stream(u[i]).average().orElseThrow();
                double sd = Math.sqrt(Arrays.stream(u[i]).map(x -> (x - mean) * (x - mean)).sum() / (n - 1));
                // 4 standard errors: a false alarm once in ~16,000 runs per check
                assertEquals(mu, mean, 4 * sigma / Math.sqrt(n), "mean of u, dimension " + i);
                assertEquals(sigma, sd, 4 * sigma / Math.sqrt(2.0 * n), "standard deviation of u, dimension " + i);
                assertEquals(mu, preSquash(i, evaluation[i]), 1e-4, "evaluation acts with u = μ");
            }
            assertArrayEquals(evaluation, agent.act(obs, ActMode.EVALUATE), "evaluation is deterministic");
        }
    }

    /** atanh((a − bias)/scale) for the spec's bounds. */
    private static double preSquash(int i, float action) {
        double low = SPEC.actionLow()[i];
        double high = SPEC.actionHigh()[i];
        double t = (action - (high + low) / 2) / ((high - low) / 2);
        return 0.5 * Math.log((1 + t) / (1 - t));
    }

    @Test
    void theWarmUpIsUniformInTheBoundsSeededAndBlindToTheObservation() {
        int n = 5000;
        try (SacAgent a = new SacAgent(SPEC, Specs.small("warmupSteps", n), 7);
             SacAgent b = new SacAgent(SPEC, Specs.small("warmupSteps", n), 7);
             SacAgent c = new SacAgent(SPEC, Specs.small("warmupSteps", n), 8)) {
            int[][] bins = new int[4][10];
            for (int k = 0; k < n; k++) {
                assertFalse(a.warmedUp());
                float[] x = a.act(new float[] {k, 0, 0, 0, 0}, ActMode.TRAIN);
                assertArrayEquals(x, b.act(new float[] {0, -k, 1, 1, 1}, ActMode.TRAIN), "same seed, any observation");
                if (k == 0) {
                    assertFalse(Arrays.equals(x, c.act(new float[5], ActMode.TRAIN)), "another seed, other actions");
                }
                for (int i = 0; i < 4; i++) {
                    double low = SPEC.actionLow()[i];
                    double high = SPEC.actionHigh()[i];
                    assertTrue(x[i] >= low && x[i] <= high, Arrays.toString(x));
                    bins[i][Math.min(9, (int) ((x[i] - low) / (high - low) * 10))]++;
                }
            }
            for (int i = 0; i < 4; i++) {
                double chi2 = 0;
                for (int count : bins[i]) {
                    chi2 += (count - n / 10.0) * (count - n / 10.0) / (n / 10.0);
                }
                // χ² with 9 degrees of freedom exceeds 27.88 with probability 0.001
                assertTrue(chi2 < 27.88, "dimension " + i + " not uniform: χ² = " + chi2 + ", bins "
                        + Arrays.toString(bins[i]));
            }
            assertTrue(a.warmedUp());
            assertEquals(n, a.steps());
        }
    }

    @Test
    void afterTheWarmUpThePolicyActsAsIfThereHadBeenNone() {
        float[] obs = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        try (SacAgent warm = new SacAgent(SPEC, Specs.small("warmupSteps", 3), 5);
             SacAgent cold = new SacAgent(SPEC, Specs.small(), 5)) {
            float[] evaluation = warm.act(obs, ActMode.EVALUATE);
            assertEquals(0, warm.steps(), "evaluation takes no training step");
            assertArrayEquals(cold.act(obs, ActMode.EVALUATE), evaluation, "evaluation uses the policy at once");
            for (int i = 0; i < 3; i++) {
                warm.act(obs, ActMode.TRAIN);
            }
            assertArrayEquals(cold.act(obs, ActMode.TRAIN), warm.act(obs, ActMode.TRAIN),
                    "the act stream is untouched by the warm-up");
        }
    }

    @Test
    void fallIsSymphonysAndActsAsTrain() {
        float[] obs = {1, 2, 3, 4, 5};
        try (SacAgent a = new SacAgent(SPEC, Specs.small("warmupSteps", 2), 9);
             SacAgent b = new SacAgent(SPEC, Specs.small("warmupSteps", 2), 9)) {
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(b.act(obs, ActMode.TRAIN), a.act(obs, ActMode.FALL), "step " + i);
            }
            assertEquals(4, a.steps());
        }
    }

    @Test
    void badObservationsAreRejectedWithTheReason() {
        try (SacAgent agent = new SacAgent(SPEC, Specs.small(), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> agent.act(new float[2], ActMode.TRAIN));
            assertTrue(e.getMessage().contains("length 2, expected 5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> agent.act(new float[] {0, Float.NaN, 0, 0, 0},
                    ActMode.EVALUATE));
            assertTrue(e.getMessage().contains("observation[1] is NaN"), e.getMessage());
            assertEquals(0, agent.steps(), "a refused observation takes no step");
        }
    }
}
