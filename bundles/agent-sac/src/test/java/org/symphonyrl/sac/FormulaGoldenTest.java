package org.symphonyrl.sac;

import static org.symphonyrl.sac.Approx.assertClose;
import static org.symphonyrl.sac.SacGolden.A;
import static org.symphonyrl.sac.SacGolden.values;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formulas one by one against sac_golden.py's independent float64 PyTorch (same inputs). */
class FormulaGoldenTest extends WithPyTorch {

    private static final Map<String, String> F = SacGolden.LOG_PROB;
    private static final int ROWS = values(F.get("mean")).length / A;

    @Test
    void squashedGaussianActionLogProbabilityAndGradientsEvenWhereTanhSaturates() {
        NDArray mean = array(F.get("mean"), ROWS, A);
        NDArray logStd = array(F.get("logStd"), ROWS, A);
        mean.setRequiresGradient(true);
        logStd.setRequiresGradient(true);
        try (TanhGaussian squash = new TanhGaussian(manager, SacGolden.ACTION_LOW, SacGolden.ACTION_HIGH);
             GradientCollector c = manager.getEngine().newGradientCollector()) {
            TanhGaussian.Sample s = squash.sample(mean, logStd, array(F.get("noise"), ROWS, A));
            assertClose("action", values(F.get("action")), s.action().toFloatArray());
            // the last rows have |u| ≈ 10-12: 1 − tanh² u is 0 in float32, log π must still be right
            assertClose("log π", values(F.get("logProb")), s.logProb().toFloatArray());
            c.backward(s.action().mul(array(F.get("upstreamAction"), ROWS, A)).sum()
                    .add(s.logProb().mul(array(F.get("upstreamLogProb"), ROWS, 1)).sum()));
        }
        assertClose("d/dμ", values(F.get("dMean")), mean.getGradient().toFloatArray());
        assertClose("d/d log σ", values(F.get("dLogStd")), logStd.getGradient().toFloatArray());
    }

    @Test
    void temperatureLossAndThreeAdamStepsOnLogAlpha() {
        try (EntropyTemperature temperature = new EntropyTemperature(manager, 1, SacGolden.ALPHA_TARGET)) {
            NDArray logAlpha = temperature.parameters().get(EntropyTemperature.NAME);
            InPlace.write(logAlpha, SacGolden.floats(SacGolden.ALPHA_INITIAL));
            try (Adam adam = new Adam(manager, temperature.parameters(), SacGolden.ALPHA_LR)) {
                for (int t = 0; t < SacGolden.ALPHA_LOSSES.length; t++) {
                    String[] logProb = {SacGolden.ALPHA_LOG_PROBS[t]};
                    NDArray loss;
                    try (GradientCollector c = manager.getEngine().newGradientCollector()) {
                        loss = temperature.loss(array(logProb[0], values(logProb[0]).length, 1));
                        c.backward(loss);
                    }
                    assertClose("J(α) step " + t, SacGolden.ALPHA_LOSSES[t], loss.getFloat());
                    adam.step();
                    assertClose("log α after step " + t, values(SacGolden.ALPHA_AFTER[t]), logAlpha.toFloatArray());
                }
            }
        }
    }

    @Test
    void adamWithBiasCorrectionAtSteps1To3() {
        int n = values(SacGolden.ADAM_INITIAL).length;
        NDArray theta = array(SacGolden.ADAM_INITIAL, n);
        NDArray m = manager.zeros(theta.getShape());
        NDArray v = manager.zeros(theta.getShape());
        try (Adam adam = new Adam(manager, Map.of(), SacGolden.ADAM_LR)) {
            for (int t = 1; t <= SacGolden.ADAM_GRAD.length; t++) {
                adam.step(theta, array(SacGolden.ADAM_GRAD[t - 1], n), m, v, t);
                assertClose("θ at t=" + t, values(SacGolden.ADAM_THETA[t - 1]), theta.toFloatArray());
                assertClose("m at t=" + t, values(SacGolden.ADAM_M[t - 1]), m.toFloatArray());
                assertClose("v at t=" + t, values(SacGolden.ADAM_V[t - 1]), v.toFloatArray());
            }
        }
    }
}
