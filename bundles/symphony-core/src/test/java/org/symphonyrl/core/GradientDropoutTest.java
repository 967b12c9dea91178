package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.random.RandomStream;

/** GradientDropout leaves values bit-identical and cuts the gradient of about p of the elements. */
class GradientDropoutTest extends WithPyTorch {

    private static final int N = 100_000;
    @Test
    void fixedRateKeepsValuesAndDropsAboutPOfTheGradients() {
        float[] mask = new GradientDropout(DropoutMode.FIXED, 0.3, new RandomStream(5)).mask(N);
        checkValuesAndGradient(mask, 0.3);
    }

    @Test
    void randomRateDropsHalfOnAverageBecauseSigmoidOfAStandardNormalHasMeanOneHalf() {
        float[] mask = new GradientDropout(DropoutMode.RANDOM, 0, new RandomStream(6)).mask(N);
        checkValuesAndGradient(mask, 0.5);
    }

    @Test
    void noDropoutMeansNoMask() {
        assertNull(new GradientDropout(DropoutMode.NONE, 0, new RandomStream(1)).mask(10));
    }

    @Test
    void inAFeedForwardTheOutputIsUnchangedAndOnlyUnmaskedSamplesTrainTheOutputBias() {
        RandomStream random = new RandomStream(3);
        try (FeedForward net = FeedForward.initialised(manager, 4, 8, 2, random)) {
            net.requireGradients();
            float[] inputs = LimitedNoise.standardNormals(random, 6 * 4);
            NDArray x = manager.create(inputs, new Shape(6, 4));
            float[] mask = new GradientDropout(DropoutMode.FIXED, 0.5, random).mask(6 * 2);
            float[] plain = net.forward(null, x).toFloatArray();
            try (GradientCollector c = manager.getEngine().newGradientCollector()) {
                NDArray y = net.forward(manager.create(mask, new Shape(6, 2)), x);
                assertArrayEquals(plain, y.toFloatArray(), "forward values must be bit-identical");
                c.backward(y.sum());
            }
            // d sum(y) / d b3[j] counts the samples whose output j kept its gradient
            float[] expected = new float[2];
            for (int b = 0; b < 6; b++) {
                for (int j = 0; j < 2; j++) {
                    expected[j] += mask[b * 2 + j];
                }
            }
            assertArrayEquals(expected, net.parameters().get("b3").getGradient().toFloatArray());
        }
    }

    private static void checkValuesAndGradient(float[] mask, double p) {
        float[] values = LimitedNoise.standardNormals(new RandomStream(9), N);
        NDArray x = manager.create(values);
        x.setRequiresGradient(true);
        try (GradientCollector c = manager.getEngine().newGradientCollector()) {
            NDArray y = GradientDropout.apply(x, manager.create(mask));
            assertArrayEquals(values, y.toFloatArray(), "forward values must be bit-identical");
            c.backward(y.sum());
        }
        float[] gradient = x.getGradient().toFloatArray();
        assertArrayEquals(mask, gradient, "the gradient is the mask: 1 where kept, 0 where dropped");
        int dropped = 0;
        for (float g : gradient) {
            dropped += g == 0 ? 1 : 0;
        }
        double fraction = (double) dropped / N;
        double fiveSigma = 5 * Math.sqrt(p * (1 - p) / N);
        assertEquals(p, fraction, fiveSigma, "share of dropped gradients");
    }
}
