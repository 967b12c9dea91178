package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.random.RandomStream;

/**
 * The whole update pushes the actor the right way. A one-step task: reward −(a − 0.3)² for every
 * action dimension, no bootstrapping (γ(1 − done) = 0), batches of uniformly random actions. The
 * critics learn the reward, the actor climbs the target critics' value, so the noise-free action
 * must move from near 0 to near 0.3. A sign error in the advantage, the loss or the optimiser
 * would push it away; the golden tests cannot see such an error if the golden script shares it.
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
            for (int update = 0; update < 1500; update++) {
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
            assertTrue(Math.abs(after - BEST) < 0.1 && Math.abs(after - BEST) < Math.abs(before - BEST) / 2,
                    "mean noise-free action went from " + before + " to " + after + ", the best is " + BEST);
        }
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
