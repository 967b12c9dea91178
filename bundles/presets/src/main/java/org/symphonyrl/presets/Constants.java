package org.symphonyrl.presets;

import java.util.Map;

/**
 * The irrational constants the paper fixes (1/φ for α and β1, 1/e and e for the noise, 1/π and π
 * for SE's noise). Preset files name them instead of writing rounded decimals, so nothing is lost.
 */
final class Constants {

    /** The golden ratio φ = (1 + √5) / 2. */
    static final double PHI = (1 + Math.sqrt(5)) / 2;

    static final Map<String, Double> NAMED = Map.of(
            "phi", PHI,
            "1/phi", (Math.sqrt(5) - 1) / 2, // exact to the last bit, unlike 1 / PHI
            "e", Math.E,
            "1/e", 1 / Math.E,
            "pi", Math.PI,
            "1/pi", 1 / Math.PI);

    private Constants() {
    }
}
