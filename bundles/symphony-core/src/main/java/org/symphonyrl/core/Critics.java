package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.symphonyrl.api.random.RandomStream;

/**
 * The critics (ALGORITHM.md §2): {@code k} FeedForward(S+A → q) on concat(state, action), their
 * outputs concatenated into one distribution of Q = k·q values per sample. Online and target
 * critics are two instances; only the online one requires gradients. The target critics take
 * states and actions as separate blocks of their input, so backpropagation reaches the actions
 * (and through them the actor) without computing a gradient for the states.
 */
final class Critics implements AutoCloseable {

    private final FeedForward networks;
    private final int critics;
    private final int nodes;
    private boolean trainable;

    Critics(FeedForward networks, int critics, int nodes) {
        this.networks = networks;
        this.critics = critics;
        this.nodes = nodes;
    }

    static Critics initialised(NDManager manager, int critics, int inputSize, int hidden, int nodes,
                               RandomStream random) {
        return new Critics(FeedForward.ensemble(manager, critics, inputSize, hidden, nodes, random), critics, nodes);
    }

    Critics copy(NDManager manager) {
        return new Critics(networks.copy(manager), critics, nodes);
    }

    /** Online critics: every parameter collects gradients. */
    void requireGradients() {
        networks.requireGradients();
        trainable = true;
    }

    FeedForward networks() {
        return networks;
    }

    /**
     * (B, S) states and (B, A) actions → (B, Q) values, critic 0's nodes first.
     *
     * @param dropout (k, B, q) GradientDropout mask or null
     */
    NDArray values(NDArray states, NDArray actions, NDArray dropout) {
        NDArray perCritic = trainable
                ? networks.forward(dropout, states.concat(actions, 1))
                : networks.forward(dropout, states, actions); // (k, B, q)
        long batch = states.getShape().get(0);
        return perCritic.transpose(1, 0, 2).reshape(batch, (long) critics * nodes);
    }

    @Override
    public void close() {
        networks.close();
    }
}
