package org.symphonyrl.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;

/**
 * {@code train --explore N_exp}: the preset's values for another exploration length. Capacity, width, critic
 * nodes and batch follow from N_exp (docs/algorithm.md §1) unless the preset fixes them, so a short exploration
 * can make the networks smaller than the preset's, or too small to exist.
 */
final class ExploreOption {

    static final String NAME = "--explore";

    private ExploreOption() {
    }

    /**
     * The preset's values for {@code explore}.
     *
     * @throws IllegalArgumentException naming {@value #NAME} and the range of lengths the preset can take
     */
    static Hyperparameters resolve(Preset preset, int explore) {
        CommandSupport.positive(NAME, explore);
        try {
            return preset.hyperparameters(explore);
        } catch (IllegalArgumentException e) {
            int own = preset.hyperparameters().explorationSteps(); // valid: the preset was built with it
            if (explore < own) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %d is too small for preset %s:"
                        + " the network sizes derived from it (docs/algorithm.md §1) would be 0; the smallest %s"
                        + " for %s is %d", NAME, explore, preset.name(), NAME, preset.name(),
                        nearestAccepted(preset, own, explore)), e);
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %d is too large for preset %s: the"
                    + " sizes derived from it (docs/algorithm.md §1) are out of range; the largest %s for %s is %d",
                    NAME, explore, preset.name(), NAME, preset.name(), nearestAccepted(preset, own, explore)), e);
        }
    }

    /**
     * Warnings for a run with these values: a run that never gets past exploration learns nothing, and a
     * shorter exploration than the preset's makes smaller networks than the preset's.
     */
    static List<String> warnings(Preset preset, Hyperparameters params, long steps) {
        List<String> warnings = new ArrayList<>();
        if (steps <= params.explorationSteps()) {
            warnings.add(String.format(Locale.ROOT, "--steps %,d does not go past exploration (N_exp %,d): the agent"
                    + " only explores, no learning will happen; give --steps above %,d or a smaller %s", steps,
                    params.explorationSteps(), params.explorationSteps(), NAME));
        }
        Hyperparameters own = preset.hyperparameters();
        List<String> smaller = new ArrayList<>();
        shrunk(smaller, "h", params.hidden(), own.hidden());
        shrunk(smaller, "q", params.criticNodes(), own.criticNodes());
        shrunk(smaller, "B", params.batchSize(), own.batchSize());
        if (!smaller.isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "N_exp %,d makes the networks smaller than preset %s's (N_exp"
                    + " %,d): %s; these sizes follow from N_exp (docs/algorithm.md §1) unless a preset file fixes"
                    + " them (hidden, criticNodes, batchSize)", params.explorationSteps(), preset.name(),
                    own.explorationSteps(), String.join(", ", smaller)));
        }
        return warnings;
    }

    private static void shrunk(List<String> smaller, String symbol, int size, int presets) {
        if (size < presets) {
            smaller.add(symbol + " " + size + " instead of " + presets);
        }
    }

    /** The accepted length nearest to {@code rejected}, between the two: the derived sizes grow with N_exp. */
    private static int nearestAccepted(Preset preset, int accepted, int rejected) {
        while (Math.abs(rejected - accepted) > 1) {
            int mid = (int) (((long) accepted + rejected) / 2);
            if (accepts(preset, mid)) {
                accepted = mid;
            } else {
                rejected = mid;
            }
        }
        return accepted;
    }

    private static boolean accepts(Preset preset, int explore) {
        try {
            preset.hyperparameters(explore);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
