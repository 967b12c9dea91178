package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.symphonyrl.api.random.RandomStream;

/**
 * The actor (docs/algorithm.md §2): FeedForward(S → 3A), squashed with tanh(x/2) and split into the
 * action A, the scaling factor σ and the temperature β (the last two in absolute value):
 * <pre>
 *   action = a_max · tanh(active·σ·A + noisy·N)
 * </pre>
 * Squashing with tanh instead of clipping keeps noise from piling up at the limits, so every
 * action lies strictly inside ±a_max. The action uses σ as it is; σ and β are clamped to
 * [1e-3, 1 − 1e-3] only where they enter {@link Swaddling} ({@link #clamp}).
 */
final class Actor implements AutoCloseable {

    static final float CLAMP = 1e-3f;

    /** The actor's outputs for a batch, each (B, A): actions, σ and β. */
    record Output(NDArray action, NDArray sigma, NDArray beta) {
    }

    private final FeedForward network;
    private final int actionSize;
    private final NDArray actionMax;
    private final float[] actionMaxValues;
    /** The 1/2 of tanh(x/2), made once (see {@link Scalar} for why not a Number). */
    private final NDArray half;

    Actor(NDManager manager, FeedForward network, float[] actionMax) {
        this.network = network;
        this.actionSize = actionMax.length;
        this.actionMax = manager.create(actionMax, new Shape(1, actionMax.length));
        this.actionMaxValues = actionMax.clone();
        this.half = manager.create(0.5f);
    }

    static Actor initialised(NDManager manager, int observationSize, int hidden, float[] actionMax,
                             RandomStream random) {
        return new Actor(manager, FeedForward.initialised(manager, observationSize, hidden, 3 * actionMax.length, random),
                actionMax);
    }

    FeedForward network() {
        return network;
    }

    /**
     * @param states  (B, S)
     * @param noise   (B, A) limited noise N, ignored unless {@code noisy}
     * @param dropout (B, 3A) GradientDropout mask or null
     */
    Output forward(NDArray states, NDArray noise, boolean active, boolean noisy, NDArray dropout) {
        NDArray y = network.forward(dropout, states);
        NDArray x = y.mul(half).tanh();
        NDList parts = x.split(3, 1);
        NDArray strength = parts.get(0);
        NDArray sigma = parts.get(1).abs();
        NDArray beta = parts.get(2).abs();
        NDArray preSquash;
        if (active && noisy) {
            preSquash = sigma.mul(strength).add(noise);
        } else if (active) {
            preSquash = sigma.mul(strength);
        } else if (noisy) {
            preSquash = noise;
        } else {
            preSquash = strength.zerosLike();
        }
        NDArray action = preSquash.tanh().mul(actionMax);
        return new Output(action, sigma, beta);
    }

    /**
     * The action for one observation, without gradients: the network runs on the engine, and the
     * squashing of its 3A outputs, the same formula as {@link #forward}, in Java, because for so
     * few values each native call would cost more than its arithmetic (act() took 0.175 ms even
     * with h = 8, almost all of it per-call overhead).
     *
     * @param state (1, S)
     * @param noise A values of limited noise N, ignored unless {@code noisy}
     */
    float[] act(NDArray state, float[] noise, boolean active, boolean noisy) {
        float[] y = network.forward(null, state).toFloatArray();
        float[] action = new float[actionSize];
        for (int i = 0; i < actionSize; i++) {
            double strength = Math.tanh(y[i] / 2);
            double sigma = Math.abs(Math.tanh(y[actionSize + i] / 2));
            double preSquash = (active ? sigma * strength : 0) + (noisy ? noise[i] : 0);
            action[i] = (float) (actionMaxValues[i] * Math.tanh(preSquash));
        }
        return action;
    }

    /** σ or β clamped to [1e-3, 1 − 1e-3], where the swaddling term's logarithms stay finite. */
    static NDArray clamp(NDArray x) {
        return x.clip(CLAMP, 1 - CLAMP);
    }

    int actionSize() {
        return actionSize;
    }

    @Override
    public void close() {
        network.close();
        actionMax.close();
        half.close();
    }
}
