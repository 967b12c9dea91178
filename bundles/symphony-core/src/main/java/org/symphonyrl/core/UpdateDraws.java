package org.symphonyrl.core;

/**
 * The random numbers one update consumes: standard normals for the next actions' noise (B×A, not
 * yet limited) and the GradientDropout masks of the actor (B×3A) and of the target and online
 * critics (k×B×q each), null without dropout. Separate from the update so tests can fix them.
 */
record UpdateDraws(float[] normals, float[] actorMask, float[] targetMask, float[] criticMask) {
}
