package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The tanh-squashed Gaussian of SAC (Haarnoja et al. 2018, Appendix C, Eq. 21), scaled to the action bounds:
 * <pre>
 *   u = μ + σ·ε,  ε ~ N(0, I)          a = scale·tanh(u) + bias,  scale = (high − low)/2,  bias = (high + low)/2
 *   log π(a|s) = Σ_i [ log N(u_i; μ_i, σ_i) − log(scale_i·(1 − tanh² u_i)) ]
 * </pre>
 * with {@code log N(u; μ, σ) = −ε²/2 − log σ − log(2π)/2} (u − μ = σε, so the Gaussian term needs no
 * division) and {@code log(1 − tanh² u) = 2·(log 2 − u − softplus(−2u))}, which is exact where
 * {@code 1 − tanh² u} rounds to 0 (|u| > 9 in float32) — the usual {@code log(1 − tanh² u + 1e-6)} would bias
 * log π by up to 14 per dimension there. The scale term makes log π the density of the action the environment
 * gets, so the target entropy −|A| refers to that action.
 *
 * <p>The constants are arrays made once (DJL 0.36's {@code mul(Number)} frees its scalar while autograd
 * still needs it).
 */
final class TanhGaussian implements AutoCloseable {

    static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** An action batch and its log-probability: (B, A) and (B, 1). */
    record Sample(NDArray action, NDArray logProb) {
    }

    private final double[] low;
    private final double[] high;
    private final double[] scale;
    private final double[] bias;
    private final NDArray scaleArray;
    private final NDArray biasArray;
    /** −log scale_i − log(2π)/2 per dimension: the constant part of each dimension's log-density. */
    private final NDArray constant;
    private final NDArray minusHalf;
    private final NDArray minusTwo;
    private final NDArray logTwo;
    private final NDArray two;

    TanhGaussian(NDManager manager, float[] low, float[] high) {
        int a = low.length;
        this.low = new double[a];
        this.high = new double[a];
        this.scale = new double[a];
        this.bias = new double[a];
        float[] scaleF = new float[a];
        float[] biasF = new float[a];
        float[] constantF = new float[a];
        for (int i = 0; i < a; i++) {
            this.low[i] = low[i];
            this.high[i] = high[i];
            scale[i] = ((double) high[i] - low[i]) / 2;
            bias[i] = ((double) high[i] + low[i]) / 2;
            scaleF[i] = (float) scale[i];
            biasF[i] = (float) bias[i];
            constantF[i] = (float) (-Math.log(scale[i]) - HALF_LOG_TWO_PI);
        }
        this.scaleArray = manager.create(scaleF, new Shape(1, a));
        this.biasArray = manager.create(biasF, new Shape(1, a));
        this.constant = manager.create(constantF, new Shape(1, a));
        this.minusHalf = manager.create(-0.5f);
        this.minusTwo = manager.create(-2f);
        this.logTwo = manager.create((float) Math.log(2));
        this.two = manager.create(2f);
    }

    /** Reparameterised actions and their log-probabilities; gradients reach μ and log σ. */
    Sample sample(NDArray mean, NDArray logStd, NDArray noise) {
        NDArray u = mean.add(logStd.exp().mul(noise));
        NDArray action = u.tanh().mul(scaleArray).add(biasArray);
        NDArray logGaussian = noise.square().mul(minusHalf).sub(logStd);
        NDArray logOneMinusTanhSquared = logTwo.sub(u).sub(u.mul(minusTwo).getNDArrayInternal().softPlus()).mul(two);
        NDArray logProb = logGaussian.sub(logOneMinusTanhSquared).add(constant).sum(new int[] {1}, true);
        return new Sample(action, logProb);
    }

    /** The action of dimension {@code i} for the pre-squash value u, inside [low, high] despite rounding. */
    float action(int i, double u) {
        double a = scale[i] * Math.tanh(u) + bias[i];
        return (float) Math.min(Math.max(a, low[i]), high[i]);
    }

    /** Action size A. */
    int size() {
        return scale.length;
    }

    @Override
    public void close() {
        scaleArray.close();
        biasArray.close();
        constant.close();
        minusHalf.close();
        minusTwo.close();
        logTwo.close();
        two.close();
    }
}
