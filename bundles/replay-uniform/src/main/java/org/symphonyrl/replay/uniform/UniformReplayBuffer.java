package org.symphonyrl.replay.uniform;

import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.random.RandomStream;
import org.symphonyrl.replay.storage.RingReplayBuffer;

/**
 * A plain experience replay: a FIFO ring that overwrites the oldest transition once full, terminal
 * or not, and samples uniformly with replacement. It shares the exploration phase, the reward
 * normalisation and the fill with the fading buffer, so that the two can be swapped in a live run
 * and compared.
 */
public final class UniformReplayBuffer extends RingReplayBuffer {

    public static final String KIND = "uniform";

    public UniformReplayBuffer(EnvSpec spec, Hyperparameters params, long seed) {
        super(KIND, spec, params, seed);
    }

    @Override
    protected void addToFullStore(float[] s, float[] a, float r, float[] s2, float discount) {
        store.set(0, s, a, r, s2, discount);
        store.rotateLeft(1);
    }

    @Override
    protected void prepareSampling() {
    }

    @Override
    protected int drawPosition(RandomStream random) {
        return random.nextInt(store.size());
    }
}
