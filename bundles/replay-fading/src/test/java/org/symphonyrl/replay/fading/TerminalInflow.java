package org.symphonyrl.replay.fading;

import java.util.Random;

/**
 * Which added transitions are terminal: a two-state chain, so that terminals can come in runs. After a
 * non-terminal the next is terminal with probability {@code rate}; after a terminal, with probability
 * {@code stay} (0 for independent draws when {@code stay == rate}, near 1 for long runs).
 */
final class TerminalInflow {

    private final Random rng;
    private final double rate;
    private final double stay;
    private boolean last;

    TerminalInflow(long seed, double rate, double stay) {
        this.rng = new Random(seed);
        this.rate = rate;
        this.stay = stay;
    }

    /** Independent draws, each terminal with probability {@code rate}. */
    static TerminalInflow independent(long seed, double rate) {
        return new TerminalInflow(seed, rate, rate);
    }

    boolean next() {
        last = rng.nextDouble() < (last ? stay : rate);
        return last;
    }

    @Override
    public String toString() {
        return "inflow(rate " + rate + ", stay " + stay + ")";
    }
}
