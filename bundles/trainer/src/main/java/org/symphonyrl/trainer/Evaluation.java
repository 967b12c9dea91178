package org.symphonyrl.trainer;

import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;
import org.symphonyrl.api.random.RandomStream;

/** Noise-free episodes ({@link ActMode#EVALUATE}: active on, no noise), nothing stored, nothing learnt. */
final class Evaluation {

    private Evaluation() {
    }

    /**
     * The returns of {@code episodes} episodes, each started with {@code reset(seed)} from {@code seeds}
     * and capped at {@code limit} steps (or ended earlier by the environment).
     */
    static double[] returns(Agent agent, Environment env, int episodes, int limit, RandomStream seeds) {
        double[] returns = new double[episodes];
        for (int e = 0; e < episodes; e++) {
            float[] observation = env.reset(seeds.nextLong());
            for (int t = 0; t < limit; t++) {
                StepResult r = env.step(agent.act(observation, ActMode.EVALUATE));
                returns[e] += r.reward();
                observation = r.observation();
                if (r.done()) {
                    break;
                }
            }
        }
        return returns;
    }

    /** Mean and population standard deviation of {@code returns}. */
    static EvaluationEvent event(long step, double[] returns) {
        double mean = 0;
        for (double r : returns) {
            mean += r;
        }
        mean /= returns.length;
        double var = 0;
        for (double r : returns) {
            var += (r - mean) * (r - mean);
        }
        return new EvaluationEvent(step, mean, Math.sqrt(var / returns.length), returns.clone());
    }
}
