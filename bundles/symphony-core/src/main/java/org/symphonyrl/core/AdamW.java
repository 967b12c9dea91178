package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW without bias correction (docs/algorithm.md §3), a DJL {@link Optimizer}:
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   θ ← θ − lr·(m/(√v + ε) + λ·θ)
 * </pre>
 * with β1 = 1/φ, β2 = 1 − τ = 0.995, ε = 1e-8, λ = 0.01. DJL's own AdamW always corrects the bias;
 * without the correction the first steps are damped (m starts at 0 and follows g with weight
 * 1 − β1), as in the paper. The moments are kept by parameter name so a snapshot can carry them.
 *
 * <p>The step runs as one native call per parameter: the engine's fused Adam update in its
 * decoupled-decay form, {@code θ ← θ − lr·λ·θ}, then the moments, then
 * {@code θ ← θ − lr_c·m/(√v + ε)}, with the corrected rate {@code lr_c} set to lr itself, which is
 * exactly the rule above. One call instead of a dozen element-wise operations per parameter
 * (measured in docs/benchmarks/agent.md); the golden test checks the rule against independent numbers.
 */
final class AdamW extends Optimizer implements AutoCloseable {

    /** A negative gradient clip means none (DJL's convention). */
    private static final float NO_CLIPPING = -1f;

    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();

    /** Weight decay travels through DJL's builder; the rest is ours. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }

    AdamW(NDManager manager, Map<String, NDArray> parameters, double learningRate, double beta1, double beta2,
          double epsilon, double weightDecay) {
        super(new Builder().setRescaleGrad(1f).optWeightDecays((float) weightDecay));
        this.parameters = parameters;
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        parameters.forEach((name, p) -> {
            firstMoments.put(name, manager.zeros(p.getShape()));
            secondMoments.put(name, manager.zeros(p.getShape()));
        });
    }

    /** One step on every parameter with the gradient collected in it; the gradients are then zeroed. */
    void step() {
        parameters.forEach((name, theta) -> {
            NDArray g = theta.getGradient();
            update(name, theta, g);
            zero(g);
        });
    }

    /** Drops the collected gradients without a step. */
    void zeroGradients() {
        parameters.values().forEach(theta -> zero(theta.getGradient()));
    }

    /** PyTorch accumulates gradients: every update starts from zero (a fill, so NaN goes too). */
    private static void zero(NDArray gradient) {
        gradient.set(WholeArray.ALL, 0);
    }

    @Override
    public void update(String parameterId, NDArray theta, NDArray g) {
        NDArray m = firstMoments.get(parameterId);
        if (m == null) {
            throw new IllegalArgumentException("AdamW has no moments for parameter " + parameterId);
        }
        step(theta, g, m, secondMoments.get(parameterId));
    }

    /** The update rule on one tensor, in place on θ, m and v. */
    void step(NDArray theta, NDArray g, NDArray m, NDArray v) {
        float withoutBiasCorrection = learningRate;
        theta.getNDArrayInternal().adamUpdate(new NDList(theta, g, m, v), new NDList(theta), learningRate,
                withoutBiasCorrection, getWeightDecay(), 1f, NO_CLIPPING, beta1, beta2, epsilon, false, true);
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
