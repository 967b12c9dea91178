package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Rectified Sine (paper, Table III): a sine kept in check by a trainable per-unit scale and
 * rectified by a Swish-like gate.
 * <pre>
 *   σ = sigmoid(s),   f(x) = σ·sin(x/σ),   F(x) = f(x)·sigmoid(1.5·f(x)/σ)
 * </pre>
 */
final class ReSine {

    /** The gate's weight factor 1.5 (paper: "a Swish or SiLU activation function with a weight factor of 1.5"). */
    static final float GATE = 1.5f;

    private ReSine() {
    }

    /** F(x) for the trainable vector {@code s}, which broadcasts over the batch. */
    static NDArray apply(NDArray x, NDArray s) {
        NDArray sigma = Activation.sigmoid(s);
        NDArray f = sigma.mul(x.div(sigma).sin());
        return f.mul(Activation.sigmoid(f.div(sigma).mul(Scalar.of(f, GATE))));
    }
}
