package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with bias correction (Kingma and Ba 2015), as {@code torch.optim.Adam} computes it:
 * <pre>
 *   t ← t + 1,  m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,
 *   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * with PyTorch's defaults β1 = 0.9, β2 = 0.999, ε = 1e-8. SAC has three of them (policy, critics, α), each with
 * its own learning rate and step count t.
 *
 * <p>The engine takes β1 and β2 as float32 and forms 1 − β in float32, so the betas <em>are</em> the float32
 * numbers 0.9f and 0.999f, here and in the bias correction: 1 − 0.999f = 0.00099998713 puts v 1.3e-5 (relative)
 * below what β2 = 0.999 in float64 would give, which changes a step by a relative 6e-6 — nothing for learning,
 * but more than the golden test's bar, so the reference script runs torch.optim.Adam with the same float32 betas.
 *
 * <p>The step is one native call per parameter, the engine's fused update
 * {@code θ ← θ − lr_c·m/(√v + ε_c)}; with {@code lr_c = lr·√(1 − β2^t)/(1 − β1^t)} and
 * {@code ε_c = ε·√(1 − β2^t)} that is exactly the rule above (multiply numerator and denominator by
 * √(1 − β2^t)).
 */
final class Adam implements AutoCloseable {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final double EPSILON = 1e-8;
    /** A negative gradient clip means none (DJL's convention). */
    private static final float NO_CLIPPING = -1f;

    private final double learningRate;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    Adam(NDManager manager, Map<String, NDArray> parameters, double learningRate) {
        this.parameters = parameters;
        this.learningRate = learningRate;
        parameters.forEach((name, p) -> {
            firstMoments.put(name, manager.zeros(p.getShape()));
            secondMoments.put(name, manager.zeros(p.getShape()));
        });
    }

    /** One step on every parameter with the gradient collected in it; the gradients are then zeroed. */
    void step() {
        steps++;
        parameters.forEach((name, theta) -> {
            NDArray g = theta.getGradient();
            step(theta, g, firstMoments.get(name), secondMoments.get(name), steps);
            InPlace.zero(g);
        });
    }

    /** Drops the collected gradients without a step. */
    void zeroGradients() {
        parameters.values().forEach(theta -> InPlace.zero(theta.getGradient()));
    }

    /** The rule on one tensor at step {@code t} (≥ 1), in place on θ, m and v. */
    void step(NDArray theta, NDArray g, NDArray m, NDArray v, long t) {
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = Math.sqrt(1 - Math.pow(BETA2, t));
        theta.getNDArrayInternal().adamUpdate(new NDList(theta, g, m, v), new NDList(theta), (float) learningRate,
                (float) (learningRate * c2 / c1), 0f, 1f, NO_CLIPPING, BETA1, BETA2,
                (float) (EPSILON * c2), false, true);
    }

    /** Steps taken, t. */
    long steps() {
        return steps;
    }

    void setSteps(long steps) {
        this.steps = steps;
    }

    /** m by parameter name (live arrays). */
    Map<String, NDArray> firstMoments() {
        return firstMoments;
    }

    /** v by parameter name (live arrays). */
    Map<String, NDArray> secondMoments() {
        return secondMoments;
    }

    @Override
    public void close() {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
    }
}
