package org.symphonyrl.trainer;

import java.util.Locale;
import org.symphonyrl.api.StepResult;

/**
 * What the trainer refuses to learn from: an observation of the wrong length, a non-finite observation
 * value or reward. Such a step ends its episode as a cut ({@link EpisodeCut#BAD_VALUE}) and is never stored.
 */
final class BadValues {

    /** Training stops after this many episodes in a row were cut by bad values (the environment is broken). */
    static final int MAX_EPISODES_IN_A_ROW = 10;

    private final int observationSize;
    private int count;
    private String description;

    BadValues(int observationSize) {
        this.observationSize = observationSize;
    }

    /** Whether {@code result} is usable; if not, {@link #count()} and {@link #description()} say why. */
    boolean accept(StepResult result) {
        boolean observationOk = accept(result.observation(), "observation");
        if (Double.isFinite(result.reward())) {
            return observationOk;
        }
        String reward = "reward = " + result.reward();
        description = observationOk ? reward : description + ", " + reward;
        count++;
        return false;
    }

    /** Whether a reset's or step's observation is usable. */
    boolean accept(float[] observation, String what) {
        count = 0;
        description = null;
        if (observation == null || observation.length != observationSize) {
            description = String.format(Locale.ROOT, "an %s of length %d, expected %d", what,
                    observation == null ? 0 : observation.length, observationSize);
            count = 1;
            return false;
        }
        int first = -1;
        for (int i = 0; i < observation.length; i++) {
            if (!Float.isFinite(observation[i])) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        if (count > 0) {
            description = String.format(Locale.ROOT, "%s[%d] = %s%s", what, first, observation[first],
                    count > 1 ? " (" + count + " non-finite values)" : "");
        }
        return count == 0;
    }

    /** Non-finite numbers in the last refused value (1 for a wrong length). */
    int count() {
        return count;
    }

    String description() {
        return description;
    }
}
