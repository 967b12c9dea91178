package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;

/**
 * Temporal advantage (paper, eq. 1): how much the current target value improves on an exponential
 * moving average of earlier target values.
 * <pre>
 *   Q_T = α·Q̄ + (1 − α)·Qt*,   advantage = (Qt − Q_T)/|Q_T|,   afterwards Q̄ ← mean(Q_T)
 * </pre>
 * α = 1/φ. Q̄ is a scalar that persists across updates and checkpoints; it starts at 0.
 */
final class TemporalAdvantage {

    private final double alpha;
    private double movingAverage;

    TemporalAdvantage(double alpha) {
        this.alpha = alpha;
    }

    /** Q_T = α·Q̄ + (1 − α)·Qt*, per sample; constant for the gradient. */
    NDArray baseline(NDArray targetDetached) {
        return targetDetached.mul(1 - alpha).add(alpha * movingAverage);
    }

    /** (Qt − Q_T)/|Q_T|, normalised so the actor's step does not depend on the scale of Q. */
    static NDArray of(NDArray target, NDArray baseline) {
        return target.sub(baseline).div(baseline.abs());
    }

    /** Q̄ ← mean(Q_T), after the step. */
    void advance(NDArray baseline) {
        movingAverage = baseline.mean().getFloat();
    }

    double movingAverage() {
        return movingAverage;
    }

    void restore(double value) {
        movingAverage = value;
    }
}
