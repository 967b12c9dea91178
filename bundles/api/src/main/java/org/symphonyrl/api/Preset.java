package org.symphonyrl.api;

/**
 * A named configuration of the algorithm. Registered as a service with the property {@value #NAME}.
 */
public interface Preset {

    /** Service property: the preset's name (S3, SE, S2, ED, S~2). */
    String NAME = "symphony.preset";

    String name();

    /** One line for {@code symphony list}. */
    String description();

    /** The preset's values with its own exploration length. */
    Hyperparameters hyperparameters();

    /**
     * The preset's values for exploration length {@code explorationSteps}: every size the preset
     * does not fix explicitly is derived from it (capacity = times × N_exp, h = capacity / 1000, …).
     */
    Hyperparameters hyperparameters(int explorationSteps);
}
