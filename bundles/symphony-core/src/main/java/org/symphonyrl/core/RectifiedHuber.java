package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;

/**
 * The paper's two losses: quadratic near 0, linear far away, with a gradual transition (a smooth
 * Huber). The argument under tanh is halved to bring them closer to Huber's shape.
 */
final class RectifiedHuber {

    private RectifiedHuber() {
    }

    /** ReHSE(x) = x·tanh(x/2), the symmetric error of the critics' temporal difference. */
    static NDArray symmetric(NDArray x) {
        return x.mul(half(x).tanh());
    }

    /** ReHAE(x) = |x|·tanh(x/2), the asymmetric error that keeps the sign of the temporal advantage. */
    static NDArray asymmetric(NDArray x) {
        return x.abs().mul(half(x).tanh());
    }

    private static NDArray half(NDArray x) {
        return x.div(Scalar.of(x, 2));
    }
}
