package org.symphonyrl.replay.fading;

import org.symphonyrl.replay.storage.Transitions;

/** A small fading buffer for the tests: observation 2, action 1, seed 42. */
final class Fading {

    private Fading() {
    }

    static FadingReplayBuffer buffer(int capacity, int times) {
        return new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, times), 42);
    }
}
