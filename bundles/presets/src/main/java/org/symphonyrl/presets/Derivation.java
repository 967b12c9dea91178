package org.symphonyrl.presets;

import java.util.Map;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.Hyperparameters;

/**
 * docs/algorithm.md §1: every size follows from the exploration length N_exp unless the preset fixes it —
 * capacity N_rb = times × N_exp, hidden h = N_rb / 1000, critic nodes q = h / 4, batch B = critics × q.
 */
final class Derivation {

    private Derivation() {
    }

    /**
     * Resolves {@code values} (a preset's explicit fields, base merged) for exploration length {@code nExp}.
     *
     * @throws IllegalArgumentException naming the field, for missing or out-of-range values
     */
    static Hyperparameters resolve(String source, Map<String, Object> values, int nExp) {
        try {
            int times = (Integer) need(values, "times");
            int capacity = (Integer) values.getOrDefault("capacity", times * nExp);
            int hidden = (Integer) values.getOrDefault("hidden", capacity / 1000);
            int critics = (Integer) need(values, "critics");
            int criticNodes = (Integer) values.getOrDefault("criticNodes", hidden / 4);
            int batchSize = (Integer) values.getOrDefault("batchSize", critics * criticNodes);
            return Hyperparameters.builder()
                    .explorationSteps(nExp)
                    .times(times)
                    .capacity(capacity)
                    .hidden(hidden)
                    .criticNodes(criticNodes)
                    .critics(critics)
                    .batchSize(batchSize)
                    .updatesPerStep((Integer) need(values, "updatesPerStep"))
                    .learningRate((Double) need(values, "learningRate"))
                    .adamBeta1((Double) need(values, "adamBeta1"))
                    .adamBeta2((Double) need(values, "adamBeta2"))
                    .adamEpsilon((Double) need(values, "adamEpsilon"))
                    .weightDecay((Double) need(values, "weightDecay"))
                    .tau((Double) need(values, "tau"))
                    .gamma((Double) need(values, "gamma"))
                    .emaAlpha((Double) need(values, "emaAlpha"))
                    .noiseStd((Double) need(values, "noiseStd"))
                    .noiseClamp((Double) need(values, "noiseClamp"))
                    .dropout((DropoutMode) need(values, "dropout"))
                    .dropoutRate((Double) need(values, "dropoutRate"))
                    .dimpleAmplitude((Double) need(values, "dimpleAmplitude"))
                    .dimpleWidth((Double) need(values, "dimpleWidth"))
                    .float16Storage((Boolean) need(values, "float16Storage"))
                    .episodeLimit((Integer) need(values, "episodeLimit"))
                    .fallMargin((Integer) need(values, "fallMargin"))
                    .evaluationInterval((Integer) need(values, "evaluationInterval"))
                    .evaluationEpisodes((Integer) need(values, "evaluationEpisodes"))
                    .actionMax((Double) need(values, "actionMax"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static Object need(Map<String, Object> values, String field) {
        Object v = values.get(field);
        if (v == null) {
            throw new IllegalArgumentException("field '" + field + "' is not set (set it or name a base preset that does)");
        }
        return v;
    }
}
