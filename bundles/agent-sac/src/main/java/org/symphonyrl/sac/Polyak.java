package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The target Q networks follow the online ones by Polyak averaging (Haarnoja et al. 2018, Algorithm 1):
 * {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}, τ = 0.005, after every update.
 */
final class Polyak implements AutoCloseable {

    // τ and 1 − τ as arrays made once (DJL turns every Number operand into a fresh tensor)
    private final NDArray tau;
    private final NDArray keep;

    Polyak(NDManager manager, double tau) {
        this.tau = manager.create((float) tau);
        this.keep = manager.create((float) (1 - tau));
    }

    void average(TwinCritics target, TwinCritics online) {
        Map<String, NDArray> source = online.parameters();
        target.parameters().forEach((name, t) -> t.muli(keep).addi(source.get(name).mul(tau)));
    }

    @Override
    public void close() {
        tau.close();
        keep.close();
    }
}
