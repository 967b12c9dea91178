package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * Rectified Sine (paper, Table III): a sine kept in check by a trainable per-unit scale and
 * rectified by a Swish-like gate.
 * <pre>
 *   σ = sigmoid(s),   f(x) = σ·sin(x/σ),   F(x) = f(x)·sigmoid(1.5·f(x)/σ)
 * </pre>
 * Since f(x)/σ = sin(x/σ), the gate is computed from the sine directly:
 * F(x) = σ·sin(x/σ)·sigmoid(1.5·sin(x/σ)), the same function with two fewer passes over the batch.
 * The trainable vector s belongs to the {@link FeedForward}; this object only holds the constant.
 */
final class ReSine implements AutoCloseable {

    /** The gate's weight factor 1.5 (paper: "a Swish or SiLU activation function with a weight factor of 1.5"). */
    static final float GATE = 1.5f;

    /** 1.5 as an array, made once (see {@link Scalar} for why not a Number). */
    private final NDArray gate;

    ReSine(NDManager manager) {
        this.gate = manager.create(GATE);
    }

    /** F(x) for the trainable vector {@code s}, which broadcasts over the batch. */
    NDArray apply(NDArray x, NDArray s) {
        NDArray sigma = Activation.sigmoid(s);
        NDArray sine = x.div(sigma).sin();
        return sine.mul(Activation.sigmoid(sine.mul(gate))).mul(sigma);
    }

    @Override
    public void close() {
        gate.close();
    }
}
