package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The target critic's output: its Q values sorted ascending and summed with the fixed
 * {@link TargetWeights}. The gradient flows back through the sort to the Q values, and from them
 * to the actions (never to target parameters, which do not require gradients).
 */
final class TargetValue implements AutoCloseable {

    private final NDArray weights;

    TargetValue(NDManager manager, float[] weights) {
        this.weights = manager.create(weights, new Shape(weights.length, 1));
    }

    /** (B, Q) values → (B, 1) weighted sum of the sorted values. */
    NDArray of(NDArray values) {
        return values.sort(1).matMul(weights);
    }

    @Override
    public void close() {
        weights.close();
    }
}
