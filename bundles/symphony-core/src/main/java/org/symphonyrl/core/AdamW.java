package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW without bias correction (ALGORITHM.md §3), a DJL {@link Optimizer}:
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   θ ← θ − lr·(m/(√v + ε) + λ·θ)
 * </pre>
 * with β1 = 1/φ, β2 = 1 − τ = 0.995, ε = 1e-8, λ = 0.01. DJL's own AdamW always corrects the bias;
 * without the correction the first steps are damped (m starts at 0 and follows g with weight
 * 1 − β1), as in the paper. The moments are kept by parameter name so a snapshot can carry them.
 */
final class AdamW extends Optimizer implements AutoCloseable {

    // the constants as arrays, made once: DJL turns every Number operand into a fresh tensor
    private final NDArray learningRate;
    private final NDArray beta1;
    private final NDArray oneMinusBeta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta2;
    private final NDArray epsilon;
    private final NDArray weightDecay;
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
        this.learningRate = manager.create((float) learningRate);
        this.beta1 = manager.create((float) beta1);
        this.oneMinusBeta1 = manager.create((float) (1 - beta1));
        this.beta2 = manager.create((float) beta2);
        this.oneMinusBeta2 = manager.create((float) (1 - beta2));
        this.epsilon = manager.create((float) epsilon);
        this.weightDecay = manager.create(getWeightDecay());
        parameters.forEach((name, p) -> {
            firstMoments.put(name, manager.zeros(p.getShape()));
            secondMoments.put(name, manager.zeros(p.getShape()));
        });
    }

    /** One step on every parameter with the gradient collected in it; the gradients are then zeroed. */
    void step() {
        parameters.forEach((name, theta) -> update(name, theta, theta.getGradient()));
        zeroGradients();
    }

    /** PyTorch accumulates gradients: every update starts from zero. */
    void zeroGradients() {
        parameters.values().forEach(theta -> {
            NDArray g = theta.getGradient();
            g.subi(g);
        });
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
        m.muli(beta1).addi(g.mul(oneMinusBeta1));
        v.muli(beta2).addi(g.mul(g).muli(oneMinusBeta2));
        NDArray direction = m.div(v.sqrt().addi(epsilon)).addi(theta.mul(weightDecay));
        theta.subi(direction.muli(learningRate));
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
        for (NDArray constant : new NDArray[] {learningRate, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon,
                weightDecay}) {
            constant.close();
        }
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
    }
}
