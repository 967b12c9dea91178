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

    /** The returns of the episodes, and how many of them were cut short (the last one's reason). */
    record Result(double[] returns, int cut, String lastCut) {
    }

    /**
     * Runs {@code episodes} episodes, each started with {@code reset(seed)} from {@code seeds} and capped at
     * {@code limit} steps (or ended earlier by the environment). An episode the environment interrupts, or
     * whose step returns a bad value ({@code check}), ends there, with the return up to that step.
     */
    static Result run(Agent agent, Environment env, int episodes, int limit, RandomStream seeds, BadValues check) {
        double[] returns = new double[episodes];
        int cut = 0;
        String lastCut = null;
        for (int e = 0; e < episodes; e++) {
            float[] observation = env.reset(seeds.nextLong());
            if (!check.accept(observation, "observation")) {
                cut++;
                lastCut = "the reset returned " + check.description();
                continue;
            }
            for (int t = 0; t < limit; t++) {
                StepResult r = env.step(agent.act(observation, ActMode.EVALUATE));
                if (r.interrupted() || !check.accept(r)) {
                    cut++;
                    lastCut = r.interrupted() ? "interrupted: " + r.interruptionReason()
                            : "the environment returned " + check.description();
                    break;
                }
                returns[e] += r.reward();
                observation = r.observation();
                if (r.done()) {
                    break;
                }
            }
        }
        return new Result(returns, cut, lastCut);
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
