package org.symphonyrl.core;

import org.symphonyrl.api.EnvSpec;

/**
 * a_max per action dimension (docs/algorithm.md §2): the preset's value if it sets one, else
 * max(1, |bound|). Humanoid's ±0.4 thus becomes ±1 (the paper lifts it deliberately and lets the
 * simulator clip), Pendulum's ±2 stays ±2.
 */
final class ActionScale {

    private ActionScale() {
    }

    static float[] of(EnvSpec spec, double presetActionMax) {
        float[] low = spec.actionLow();
        float[] high = spec.actionHigh();
        float[] max = new float[low.length];
        for (int i = 0; i < max.length; i++) {
            max[i] = presetActionMax > 0
                    ? (float) presetActionMax
                    : Math.max(1f, Math.max(Math.abs(low[i]), Math.abs(high[i])));
        }
        return max;
    }
}
