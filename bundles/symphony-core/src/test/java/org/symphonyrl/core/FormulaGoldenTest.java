package org.symphonyrl.core;

import static org.symphonyrl.core.Golden.array;
import static org.symphonyrl.core.Golden.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Each formula against golden.py's independent torch implementation (float64, same inputs). */
class FormulaGoldenTest extends WithPyTorch {

    private static final JsonObject FIXTURE = Golden.load("formulas");
    private static JsonObject part(String name) {
        return FIXTURE.getAsJsonObject(name);
    }

    private static NDArray trainable(JsonObject tensor) {
        NDArray a = array(manager, tensor);
        a.setRequiresGradient(true);
        return a;
    }

    @Test
    void reSineValueAndGradients() {
        JsonObject f = part("resine");
        NDArray x = trainable(f.getAsJsonObject("x"));
        NDArray s = trainable(f.getAsJsonObject("s"));
        NDArray upstream = array(manager, f.getAsJsonObject("upstream"));
        try (GradientCollector c = manager.getEngine().newGradientCollector()) {
            NDArray y = new ReSine(manager).apply(x, s);
            assertClose("ReSine(x)", f.getAsJsonObject("y"), y);
            c.backward(y.mul(upstream).sum());
        }
        assertClose("dReSine/dx", f.getAsJsonObject("dx"), x.getGradient());
        assertClose("dReSine/ds", f.getAsJsonObject("ds"), s.getGradient());
    }

    @Test
    void rectifiedHuberSymmetricAndAsymmetric() {
        for (String name : new String[] {"rehse", "rehae"}) {
            JsonObject f = part(name);
            NDArray x = trainable(f.getAsJsonObject("x"));
            try (GradientCollector c = manager.getEngine().newGradientCollector()) {
                NDArray y = name.equals("rehse") ? RectifiedHuber.symmetric(x) : RectifiedHuber.asymmetric(x);
                assertClose(name, f.getAsJsonObject("y"), y);
                c.backward(y.sum());
            }
            assertClose("d" + name + "/dx", f.getAsJsonObject("dx"), x.getGradient());
        }
    }

    @Test
    void swaddlingValueAndGradientsWithBetaDetachedInThePower() {
        JsonObject f = part("swaddling");
        NDArray sigma = trainable(f.getAsJsonObject("sigma"));
        NDArray beta = trainable(f.getAsJsonObject("beta"));
        try (GradientCollector c = manager.getEngine().newGradientCollector()) {
            NDArray value = Swaddling.of(sigma, beta);
            assertClose("Ωω", f.get("value").getAsDouble(), value.getFloat());
            c.backward(value);
        }
        assertClose("dΩω/dσ", f.getAsJsonObject("dsigma"), sigma.getGradient());
        assertClose("dΩω/dβ", f.getAsJsonObject("dbeta"), beta.getGradient());
    }

    @Test
    void targetWeightsPlainAndWithTheDimple() {
        JsonObject f = part("targetWeights");
        int q = f.get("q").getAsInt();
        assertClose("w(12)", Golden.doubles(f.getAsJsonObject("plain")), TargetWeights.of(q, 0, 0));
        assertClose("w(12) dimpled", Golden.doubles(f.getAsJsonObject("dimpled")), TargetWeights.of(q, 0.02, 0.02));
        assertClose("w(384)", Golden.doubles(f.getAsJsonObject("q384")), TargetWeights.of(384, 0, 0));
        assertClose("w(384) dimpled", Golden.doubles(f.getAsJsonObject("q384dimpled")),
                TargetWeights.of(384, 0.02, 0.02));
    }

    @Test
    void sortedWeightedTargetAndItsGradient() {
        JsonObject f = part("sortedTarget");
        NDArray values = trainable(f.getAsJsonObject("values"));
        NDArray upstream = array(manager, f.getAsJsonObject("upstream"));
        try (TargetValue target = new TargetValue(manager, Golden.data(f.getAsJsonObject("weights")));
             GradientCollector c = manager.getEngine().newGradientCollector()) {
            NDArray t = target.of(values);
            assertClose("sorted target", f.getAsJsonObject("target"), t);
            c.backward(t.mul(upstream).sum());
        }
        assertClose("d target / d values", f.getAsJsonObject("dvalues"), values.getGradient());
    }

    @Test
    void oneAdamWStepWithoutBiasCorrection() {
        JsonObject f = part("adamw");
        NDArray theta = array(manager, f.getAsJsonObject("theta"));
        NDArray m = array(manager, f.getAsJsonObject("m"));
        NDArray v = array(manager, f.getAsJsonObject("v"));
        AdamW adam = new AdamW(manager, java.util.Map.of(), f.get("lr").getAsDouble(), f.get("beta1").getAsDouble(),
                f.get("beta2").getAsDouble(), f.get("epsilon").getAsDouble(), f.get("weightDecay").getAsDouble());
        adam.step(theta, array(manager, f.getAsJsonObject("grad")), m, v);
        assertClose("θ after", f.getAsJsonObject("thetaNext"), theta);
        assertClose("m after", f.getAsJsonObject("mNext"), m);
        assertClose("v after", f.getAsJsonObject("vNext"), v);
    }
}
