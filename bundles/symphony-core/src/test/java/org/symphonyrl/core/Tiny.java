package org.symphonyrl.core;

import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;

/** Small agents for tests: S3's constants with tiny sizes. */
final class Tiny {

    static final double PHI = (1 + Math.sqrt(5)) / 2;

    private Tiny() {
    }

    /** S observations, action bounds ±0.5 then ±2 repeating (a_max 1 and 2). */
    static EnvSpec spec(int observationSize, int actionSize) {
        float[] obsHigh = new float[observationSize];
        java.util.Arrays.fill(obsHigh, Float.POSITIVE_INFINITY);
        float[] obsLow = new float[observationSize];
        java.util.Arrays.fill(obsLow, Float.NEGATIVE_INFINITY);
        float[] high = new float[actionSize];
        for (int i = 0; i < actionSize; i++) {
            high[i] = i % 2 == 0 ? 0.5f : 2f;
        }
        float[] low = new float[actionSize];
        for (int i = 0; i < actionSize; i++) {
            low[i] = -high[i];
        }
        return new EnvSpec("Tiny-v0", obsLow, obsHigh, low, high, 1000);
    }

    static Hyperparameters.Builder params(int hidden, int nodes, int critics, int batch) {
        return Hyperparameters.builder()
                .explorationSteps(100).times(50).capacity(5000)
                .hidden(hidden).criticNodes(nodes).critics(critics).batchSize(batch).updatesPerStep(3)
                .learningRate(1e-4).adamBeta1(1 / PHI).adamBeta2(0.995).adamEpsilon(1e-8).weightDecay(0.01)
                .tau(0.005).gamma(0.99).emaAlpha(1 / PHI).noiseStd(1 / Math.E).noiseClamp(Math.E)
                .dropout(DropoutMode.NONE).dropoutRate(0).dimpleAmplitude(0).dimpleWidth(0)
                .float16Storage(false).episodeLimit(1000).fallMargin(50).evaluationInterval(2500)
                .evaluationEpisodes(25).actionMax(0);
    }
}
