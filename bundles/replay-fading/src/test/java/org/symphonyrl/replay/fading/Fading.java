package org.symphonyrl.replay.fading;

import org.symphonyrl.replay.storage.Transitions;

/** Small fading buffers for the tests (observation 2, action 1, seed 42) and what they hold. */
final class Fading {

    private Fading() {
    }

    static FadingReplayBuffer buffer(int capacity, int times) {
        return new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, times), 42);
    }

    /** Terminal transitions held (discount 0). */
    static int terminals(FadingReplayBuffer b) {
        int n = 0;
        for (float d : b.snapshot().discounts()) {
            n += d == 0f ? 1 : 0;
        }
        return n;
    }
}
