package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;

/**
 * Swaddling Ωω (paper, "Decoupling action regularization from actions"): restrains the action
 * strength σ without penalising actions directly. Ω is a barrier as σ approaches 1 with a plateau
 * around 0 whose width the temperature β sets; ω pulls σ towards 1/e, the noise's standard deviation.
 * <pre>
 *   Ω(x) = ln((1 + x)/(1 − x)),   ω(x) = x·ln x
 *   Ωω(σ, β) = mean[ Ω(σ^(1/β*)) + β·ω(σ) + Ω(β²) ],   β* = β detached
 * </pre>
 * σ and β must already be clamped to [1e-3, 1 − 1e-3] (see {@link Actor}).
 */
final class Swaddling {

    private Swaddling() {
    }

    static NDArray of(NDArray sigma, NDArray beta) {
        NDArray inverseTemperature = beta.stopGradient().pow(-1);
        return bigOmega(sigma.pow(inverseTemperature))
                .add(beta.mul(smallOmega(sigma)))
                .add(bigOmega(beta.square()))
                .mean();
    }

    /** Ω(x) = ln((1 + x)/(1 − x)), which is 2·atanh(x), the inverse of tanh(x/2). */
    static NDArray bigOmega(NDArray x) {
        return x.add(1).div(x.neg().add(1)).log();
    }

    /** ω(x) = x·ln x, minimal at x = 1/e. */
    static NDArray smallOmega(NDArray x) {
        return x.mul(x.log());
    }
}
