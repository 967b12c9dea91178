package org.symphonyrl.api;

/**
 * An actor-critic agent: acts, learns from batches, and can be snapshotted and restored.
 * Not thread-safe: the trainer calls it from one thread.
 */
public interface Agent extends AutoCloseable {

    /** The spec the agent was built for. */
    EnvSpec spec();

    /**
     * The action for one observation, inside the action bounds' scale {@code a_max}.
     *
     * @throws IllegalArgumentException for a wrong length or a NaN or infinite value
     */
    float[] act(float[] observation, ActMode mode);

    /** One gradient update on {@code batch} (the G repetitions are the trainer's). */
    UpdateStats update(Batch batch);

    /** Number of updates done so far. */
    long updates();

    /** A full copy of the agent's state. */
    AgentSnapshot snapshot();

    /**
     * Replaces the agent's state by {@code snapshot}.
     *
     * @throws IllegalArgumentException if the snapshot was made for different sizes or another kind
     */
    void restore(AgentSnapshot snapshot);

    /** Releases native memory. */
    @Override
    void close();
}
