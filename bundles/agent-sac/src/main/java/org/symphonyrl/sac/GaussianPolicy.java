package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.symphonyrl.api.random.RandomStream;

/**
 * The policy π_φ(a|s) (Haarnoja et al. 2018, §4.2 and Appendix C): an {@link Mlp} S → h → h → 2A whose
 * output is the mean μ and the log standard deviation log σ of a Gaussian, squashed by {@link TanhGaussian}.
 * One output layer of 2A units is the same function, and the same initial distribution, as CleanRL's two
 * heads of A units each (every unit is uniform in ±1/√h).
 *
 * <p>log σ is clamped to [logStdMin, logStdMax] = [−20, 2] by default, a hard clamp as in the authors' code
 * (softlearning) and Stable-Baselines3: inside the bounds the network's output is used as it is, with its
 * full gradient; the bounds only keep σ in [2e-9, 7.4] so that exp and the Gaussian term stay finite.
 * CleanRL's smooth alternative (tanh rescaled into [−5, 2]) damps the gradient everywhere and caps how
 * deterministic the policy can become (σ ≥ 0.0067), which is a modelling change rather than a guard.
 */
final class GaussianPolicy implements AutoCloseable {

    private final Mlp network;
    private final TanhGaussian squash;
    private final float logStdMin;
    private final float logStdMax;

    GaussianPolicy(Mlp network, TanhGaussian squash, double logStdMin, double logStdMax) {
        this.network = network;
        this.squash = squash;
        this.logStdMin = (float) logStdMin;
        this.logStdMax = (float) logStdMax;
    }

    static GaussianPolicy initialised(NDManager manager, int observationSize, int hidden, float[] low, float[] high,
                                      double logStdMin, double logStdMax, RandomStream random) {
        return new GaussianPolicy(Mlp.initialised(manager, observationSize, hidden, 2 * low.length, random),
                new TanhGaussian(manager, low, high), logStdMin, logStdMax);
    }

    Mlp network() {
        return network;
    }

    /** (B, S) states and (B, A) standard normals → reparameterised actions and log π, differentiable in φ. */
    TanhGaussian.Sample sample(NDArray states, NDArray noise) {
        NDList parts = network.forward(states).split(2, 1);
        NDArray logStd = parts.get(1).clip(logStdMin, logStdMax);
        return squash.sample(parts.get(0), logStd, noise);
    }

    /**
     * The action for one observation without gradients: the network on the engine, the squashing (the formula
     * of {@link TanhGaussian#sample}) in Java, since for A values each native call would cost more than its
     * arithmetic.
     *
     * @param state (1, S)
     * @param noise A standard normals for a sample, or null for the deterministic action scale·tanh(μ) + bias
     */
    float[] act(NDArray state, float[] noise) {
        float[] y = network.forward(state).toFloatArray();
        int a = squash.size();
        float[] action = new float[a];
        for (int i = 0; i < a; i++) {
            double u = y[i];
            if (noise != null) {
                float logStd = Math.min(Math.max(y[a + i], logStdMin), logStdMax);
                u += Math.exp(logStd) * noise[i];
            }
            action[i] = squash.action(i, u);
        }
        return action;
    }

    int actionSize() {
        return squash.size();
    }

    @Override
    public void close() {
        network.close();
        squash.close();
    }
}
