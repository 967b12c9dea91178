package org.symphonyrl.api;

/**
 * A replay buffer's contents in logical order, oldest first, as float32 whatever the storage was.
 * Any buffer kind can restore a snapshot made by any other kind.
 *
 * @param kind              kind of the buffer that made it
 * @param observationSize   S
 * @param actionSize        A
 * @param capacity          capacity of the buffer that made it
 * @param size              transitions held, n
 * @param states            n×S
 * @param actions           n×A
 * @param rewards           n; normalised if {@code explorationEnded}, raw otherwise
 * @param nextStates        n×S
 * @param discounts         n, γ·(1 − terminated)
 * @param rewardScale       r̄ (1 before the end of exploration)
 * @param explorationEnded  whether the end-of-exploration step has happened
 * @param randomState       state of the sampling random stream
 */
public record BufferSnapshot(String kind, int observationSize, int actionSize, int capacity, int size,
                             float[] states, float[] actions, float[] rewards, float[] nextStates,
                             float[] discounts, double rewardScale, boolean explorationEnded,
                             long[] randomState) {

    public BufferSnapshot {
        if (size < 0 || size > capacity) {
            throw new IllegalArgumentException("size " + size + " outside [0, capacity " + capacity + "]");
        }
        new Batch(size, observationSize, actionSize, states, actions, rewards, nextStates, discounts);
    }
}
