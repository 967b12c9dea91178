package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.random.RandomStream;

/**
 * The whole update pushes the actor the right way, to the right place. A one-step task: reward
 * −Σ(a − 0.3)² over both action dimensions, no bootstrapping (γ(1 − done) = 0), batches of
 * uniformly random actions. The critics learn the reward and the actor climbs the target critics'
 * value of its own noisy action tanh(x + N), so it should settle where E[−(tanh(x + N) − 0.3)²] is
 * largest: a noise-free action tanh(x*) ≈ 0.397, above 0.3 because the limited noise and the tanh
 * pull noisy actions towards 0. x* is computed here by quadrature, independently of the agent. A
 * sign error in the advantage, the loss or the optimiser would push the action elsewhere; the
 * golden tests cannot see such an error if the golden script shares it.
 */
class LearningDirectionTest {

    static final float BEST = 0.3f;

    @Test
    void theActorMovesTowardsTheBestAction() {
        EnvSpec spec = new EnvSpec("Bandit-v0", new float[] {-1, -1}, new float[] {1, 1}, new float[] {-1, -1},
                new float[] {1, 1}, 1);
        int b = 64;
        RandomStream data = new RandomStream(21);
        try (SymphonyAgent agent = new SymphonyAgent(spec, Tiny.params(32, 8, 3, b).learningRate(1e-3).tau(0.05)
                .build(), 3)) {
            float before = meanAction(agent, data);
            for (int update = 0; update < 800; update++) {
                float[] states = uniform(data, b * 2);
                float[] actions = uniform(data, b * 2);
                float[] rewards = new float[b];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < 2; j++) {
                        float d = actions[i * 2 + j] - BEST;
                        rewards[i] -= d * d;
                    }
                }
                agent.update(new Batch(b, 2, 2, states, actions, rewards, uniform(data, b * 2), new float[b]));
            }
            float after = meanAction(agent, data);
            double optimum = Math.tanh(bestPreSquash());
            assertTrue(Math.abs(before) < 0.1, "an untrained actor acts near 0, got " + before);
            assertTrue(Math.abs(after - optimum) < 0.03,
                    "mean noise-free action went from " + before + " to " + after + ", the optimum is " + optimum);
        }
    }

    /**
     * argmax over x of E[−(tanh(x + N) − 0.3)²], N = clamp(n, −e, e)/e with n standard normal,
     * by a grid over x and the trapezoid rule over n.
     */
    static double bestPreSquash() {
        double best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (double x = 0; x <= 1.5; x += 0.002) {
            double value = 0;
            for (double n = -8; n <= 8; n += 0.004) {
                double noise = Math.max(-Math.E, Math.min(Math.E, n)) / Math.E;
                double miss = Math.tanh(x + noise) - BEST;
                value -= miss * miss * Math.exp(-n * n / 2);
            }
            if (value > bestValue) {
                bestValue = value;
                best = x;
            }
        }
        return best;
    }

    private static float meanAction(SymphonyAgent agent, RandomStream data) {
        double sum = 0;
        for (int i = 0; i < 100; i++) {
            for (float a : agent.act(uniform(data, 2), ActMode.EVALUATE)) {
                sum += a;
            }
        }
        return (float) (sum / 200);
    }

    private static float[] uniform(RandomStream random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * random.nextDouble() - 1);
        }
        return v;
    }
}
