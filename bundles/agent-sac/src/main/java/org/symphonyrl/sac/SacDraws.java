package org.symphonyrl.sac;

/**
 * The random numbers one update consumes, standard normals ε: B×A for the next states' actions (the target)
 * and B×A for the states' actions (the policy and α losses). Separate from the update so tests can fix them.
 */
record SacDraws(float[] nextNoise, float[] noise) {
}
