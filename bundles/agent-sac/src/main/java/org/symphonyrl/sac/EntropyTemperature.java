package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * Automatic entropy tuning (Haarnoja et al. 2018, §5, Eq. 18): the temperature α is learned through log α
 * (positive by construction) to keep the policy's entropy near the target H̄ = −scale·|A|, with
 * <pre>
 *   J(α) = −mean( log α · (log π(a|s) + H̄) ),   log π detached
 * </pre>
 * the form of Stable-Baselines3 (the gradient −mean(log π + H̄) moves log α up when the entropy −log π falls
 * below H̄). The losses of the critics and the policy use α = exp(log α) as a constant.
 */
final class EntropyTemperature implements AutoCloseable {

    static final String NAME = "logAlpha";

    private final NDArray logAlpha;
    private final NDArray targetEntropy;
    private final double target;

    EntropyTemperature(NDManager manager, double initialAlpha, double targetEntropy) {
        this.logAlpha = manager.create(new float[] {(float) Math.log(initialAlpha)}, new Shape(1));
        this.logAlpha.setRequiresGradient(true);
        this.target = targetEntropy;
        this.targetEntropy = manager.create((float) targetEntropy);
    }

    /** α as a constant of the other losses, shape (1). */
    NDArray alpha() {
        return logAlpha.stopGradient().exp();
    }

    /** α now, as a number. */
    double value() {
        return Math.exp(logAlpha.getFloat());
    }

    /** H̄. */
    double targetEntropy() {
        return target;
    }

    /** J(α) for the batch's log π (B, 1), which must come detached. */
    NDArray loss(NDArray logProbDetached) {
        return logAlpha.mul(logProbDetached.add(targetEntropy)).mean().neg();
    }

    /** The one trainable parameter by its snapshot name (live array). */
    Map<String, NDArray> parameters() {
        return Map.of(NAME, logAlpha);
    }

    @Override
    public void close() {
        logAlpha.close();
        targetEntropy.close();
    }
}
