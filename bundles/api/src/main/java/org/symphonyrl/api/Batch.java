package org.symphonyrl.api;

/**
 * A batch of transitions in one contiguous, row-major block per field, ready to become tensors.
 * Rewards are already normalised (r̂ = r / r̄) and {@code discounts} holds γ·(1 − terminated).
 *
 * @param size            number of transitions B
 * @param observationSize S
 * @param actionSize      A
 * @param states          B×S
 * @param actions         B×A
 * @param rewards         B
 * @param nextStates      B×S
 * @param discounts       B, γ·(1 − done) with done the environment's terminated flag
 */
public record Batch(int size, int observationSize, int actionSize, float[] states, float[] actions,
                    float[] rewards, float[] nextStates, float[] discounts) {

    public Batch {
        check("states", states, size * observationSize);
        check("actions", actions, size * actionSize);
        check("rewards", rewards, size);
        check("nextStates", nextStates, size * observationSize);
        check("discounts", discounts, size);
    }

    private static void check(String name, float[] a, int expected) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException("batch field " + name + " must have length " + expected
                    + ", got " + (a == null ? "null" : a.length));
        }
    }
}
