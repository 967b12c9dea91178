package org.symphonyrl.presets;

import java.util.Map;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;

/** A preset: its explicit values (its base's merged under its own) and the §1 derivation for any N_exp. */
final class SymphonyPreset implements Preset {

    private final String source;
    private final String name;
    private final String description;
    private final Map<String, Object> values;
    private final Hyperparameters own;

    SymphonyPreset(String source, String name, String description, Map<String, Object> values) {
        this.source = source;
        this.name = name;
        this.description = description == null ? "" : description;
        this.values = Map.copyOf(values);
        Object nExp = values.get("explorationSteps");
        if (nExp == null) {
            throw new IllegalArgumentException(source + ": field 'explorationSteps' is not set "
                    + "(set it or name a base preset that does)");
        }
        this.own = Derivation.resolve(source, this.values, (Integer) nExp);
    }

    /** Explicit values, for presets based on this one. */
    Map<String, Object> values() {
        return values;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return own;
    }

    @Override
    public Hyperparameters hyperparameters(int explorationSteps) {
        return Derivation.resolve(source, values, explorationSteps);
    }

    @Override
    public String toString() {
        return name + " (" + source + ")";
    }
}
