package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;

/**
 * Polyak averaging of the target critics, {@code θ_T ← (1 − τ)·θ_T + τ·θ}, τ = 0.005. Only the
 * critics have targets: the target actor of other algorithms is never used here.
 */
final class Polyak {

    private Polyak() {
    }

    static void average(FeedForward target, FeedForward online, double tau) {
        target.parameters().forEach((name, t) -> t.muli(1 - tau).addi(online.parameters().get(name).mul(tau)));
    }
}
