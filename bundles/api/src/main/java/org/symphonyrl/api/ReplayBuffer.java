package org.symphonyrl.api;

/**
 * Stores transitions and samples batches. Before {@link #endExploration()} it only collects;
 * that call computes r̄ = mean |r| of the collected rewards, divides every stored reward by it
 * (and every later one on arrival), and may fill the buffer by repetition. Not thread-safe.
 */
public interface ReplayBuffer {

    /** The kind, as in the factory's {@link ReplayBufferFactory#KIND} property. */
    String kind();

    /**
     * Stores one transition; {@code reward} is the raw environment reward and {@code terminated}
     * is the environment's terminated flag (never truncated).
     *
     * @throws IllegalArgumentException for wrong lengths or NaN/infinite values; nothing is stored then
     */
    void add(float[] state, float[] action, double reward, float[] nextState, boolean terminated);

    /** Ends the exploration phase (see the type's description). Calling it twice is an error. */
    void endExploration();

    /** Whether {@link #endExploration()} has been called. */
    boolean explorationEnded();

    /** r̄, the divisor applied to rewards; 1 before the end of exploration. */
    double rewardScale();

    /** Transitions stored now. */
    int size();

    /** Transitions it can hold. */
    int capacity();

    /**
     * Draws {@code batchSize} transitions with replacement.
     *
     * @throws IllegalStateException if the buffer is empty
     */
    Batch sample(int batchSize);

    /** Full contents in logical order (oldest first), reward scale and random-stream state. */
    BufferSnapshot snapshot();

    /**
     * Replaces the contents by {@code snapshot}, which may come from another buffer kind.
     *
     * @throws IllegalArgumentException if sizes do not fit
     */
    void restore(BufferSnapshot snapshot);
}
