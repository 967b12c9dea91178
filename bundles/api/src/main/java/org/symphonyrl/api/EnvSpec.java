package org.symphonyrl.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an environment looks like from outside: a Box observation and a Box action,
 * both as float32 vectors, and the episode limit (Gymnasium's {@code max_episode_steps}).
 *
 * @param id               the environment id, e.g. {@code Pendulum-v1} or {@code Humanoid-v5}
 * @param observationLow   per-dimension lower bound of the observation (may be -infinity)
 * @param observationHigh  per-dimension upper bound of the observation (may be +infinity)
 * @param actionLow        per-dimension lower bound of the action (finite)
 * @param actionHigh       per-dimension upper bound of the action (finite)
 * @param maxEpisodeSteps  steps after which the environment truncates an episode; 0 if it never does
 */
public record EnvSpec(String id, float[] observationLow, float[] observationHigh,
                      float[] actionLow, float[] actionHigh, int maxEpisodeSteps) {

    public EnvSpec {
        Objects.requireNonNull(id, "id");
        if (observationLow.length == 0 || observationLow.length != observationHigh.length) {
            throw new IllegalArgumentException(id + ": observation bounds must be non-empty and of equal length, got "
                    + observationLow.length + " and " + observationHigh.length);
        }
        if (actionLow.length == 0 || actionLow.length != actionHigh.length) {
            throw new IllegalArgumentException(id + ": action bounds must be non-empty and of equal length, got "
                    + actionLow.length + " and " + actionHigh.length);
        }
        for (int i = 0; i < actionLow.length; i++) {
            if (!Float.isFinite(actionLow[i]) || !Float.isFinite(actionHigh[i]) || actionLow[i] >= actionHigh[i]) {
                throw new IllegalArgumentException(id + ": action bound " + i + " must be finite with low < high, got ["
                        + actionLow[i] + ", " + actionHigh[i] + "]");
            }
        }
        if (maxEpisodeSteps < 0) {
            throw new IllegalArgumentException(id + ": maxEpisodeSteps must be >= 0, got " + maxEpisodeSteps);
        }
        observationLow = observationLow.clone();
        observationHigh = observationHigh.clone();
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
    }

    /** Observation length S. */
    public int observationSize() {
        return observationLow.length;
    }

    /** Action length A. */
    public int actionSize() {
        return actionLow.length;
    }

    @Override
    public float[] observationLow() { return observationLow.clone(); }

    @Override
    public float[] observationHigh() { return observationHigh.clone(); }

    @Override
    public float[] actionLow() { return actionLow.clone(); }

    @Override
    public float[] actionHigh() { return actionHigh.clone(); }

    /**
     * Throws if {@code action} does not fit this spec: wrong length, NaN or infinite values.
     * Values outside the bounds are allowed (the environment clips them, as Gymnasium's do).
     */
    public void checkAction(float[] action) {
        checkVector("action", action, actionSize());
    }

    /** Throws if {@code observation} has the wrong length or a NaN or infinite value. */
    public void checkObservation(float[] observation) {
        checkVector("observation", observation, observationSize());
    }

    private void checkVector(String what, float[] v, int expected) {
        if (v == null) {
            throw new IllegalArgumentException(id + ": " + what + " is null");
        }
        if (v.length != expected) {
            throw new IllegalArgumentException(id + ": " + what + " has length " + v.length + ", expected " + expected);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(id + ": " + what + "[" + i + "] is " + v[i]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvSpec s && id.equals(s.id) && maxEpisodeSteps == s.maxEpisodeSteps
                && Arrays.equals(observationLow, s.observationLow) && Arrays.equals(observationHigh, s.observationHigh)
                && Arrays.equals(actionLow, s.actionLow) && Arrays.equals(actionHigh, s.actionHigh);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, maxEpisodeSteps, Arrays.hashCode(observationLow), Arrays.hashCode(actionLow));
    }

    @Override
    public String toString() {
        return "EnvSpec[" + id + ", S=" + observationSize() + ", A=" + actionSize()
                + ", action " + Arrays.toString(actionLow) + ".." + Arrays.toString(actionHigh)
                + ", limit=" + maxEpisodeSteps + "]";
    }
}
