package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;

/**
 * A constant for differentiable arithmetic. DJL's {@code mul(Number)} and {@code div(Number)}
 * (PyTorch engine 0.36) wrap the number in a tensor whose memory is a Java buffer and release it
 * right after the operation; autograd keeps that tensor for the backward pass, so after a garbage
 * collection the gradient is computed from freed memory. A constant made here belongs to the
 * current {@link ai.djl.ndarray.NDScope} (or the manager) and lives until the update is over.
 */
final class Scalar {

    private Scalar() {
    }

    /** {@code value} as a float32 array on the manager of {@code like}. */
    static NDArray of(NDArray like, double value) {
        return like.getManager().create((float) value);
    }
}
