package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Polyak averaging of the target critics, {@code θ_T ← (1 − τ)·θ_T + τ·θ}, τ = 0.005. Only the
 * critics have targets: the target actor of other algorithms is never used here.
 */
final class Polyak implements AutoCloseable {

    // τ and 1 − τ as arrays, made once (DJL turns every Number operand into a fresh tensor)
    private final NDArray tau;
    private final NDArray keep;

    Polyak(NDManager manager, double tau) {
        this.tau = manager.create((float) tau);
        this.keep = manager.create((float) (1 - tau));
    }

    void average(Critics target, Critics online) {
        for (int i = 0; i < online.networks().size(); i++) {
            FeedForward source = online.networks().get(i);
            target.networks().get(i).parameters()
                    .forEach((name, t) -> t.muli(keep).addi(source.parameters().get(name).mul(tau)));
        }
    }

    @Override
    public void close() {
        tau.close();
        keep.close();
    }
}
