package org.symphonyrl.sac;

import org.symphonyrl.api.Batch;
import org.symphonyrl.api.random.RandomStream;

/**
 * The plain replay buffer of the SAC references (CleanRL's, Stable-Baselines3's) for the benchmark: a ring that
 * overwrites the oldest transition once full, uniform sampling with replacement, raw rewards. The project's
 * uniform buffer normalises rewards by their mean magnitude at the end of exploration, which changes the
 * balance between reward and entropy that SAC's target entropy sets; the benchmark measures SAC as published.
 */
final class FifoReplay {

    private final int capacity;
    private final int s;
    private final int a;
    private final float gamma;
    private final float[] states;
    private final float[] actions;
    private final float[] rewards;
    private final float[] nextStates;
    private final float[] discounts;
    private final RandomStream random;
    private int size;
    private int next;

    FifoReplay(int capacity, int observationSize, int actionSize, double gamma, RandomStream random) {
        this.capacity = capacity;
        this.s = observationSize;
        this.a = actionSize;
        this.gamma = (float) gamma;
        this.states = new float[capacity * s];
        this.actions = new float[capacity * a];
        this.rewards = new float[capacity];
        this.nextStates = new float[capacity * s];
        this.discounts = new float[capacity];
        this.random = random;
    }

    /** Stores a transition; {@code terminated} (never truncated) ends the bootstrap. */
    void add(float[] state, float[] action, double reward, float[] nextState, boolean terminated) {
        System.arraycopy(state, 0, states, next * s, s);
        System.arraycopy(action, 0, actions, next * a, a);
        rewards[next] = (float) reward;
        System.arraycopy(nextState, 0, nextStates, next * s, s);
        discounts[next] = terminated ? 0f : gamma;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    Batch sample(int b) {
        float[] bs = new float[b * s];
        float[] ba = new float[b * a];
        float[] br = new float[b];
        float[] bn = new float[b * s];
        float[] bd = new float[b];
        for (int i = 0; i < b; i++) {
            int j = random.nextInt(size);
            System.arraycopy(states, j * s, bs, i * s, s);
            System.arraycopy(actions, j * a, ba, i * a, a);
            br[i] = rewards[j];
            System.arraycopy(nextStates, j * s, bn, i * s, s);
            bd[i] = discounts[j];
        }
        return new Batch(b, s, a, bs, ba, br, bn, bd);
    }

    int size() {
        return size;
    }
}
