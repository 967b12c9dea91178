package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.symphonyrl.api.random.RandomStream;

/**
 * The critics (docs/algorithm.md §2): {@code k} FeedForward(S+A → q) on concat(state, action), their
 * outputs concatenated into one distribution of Q = k·q values per sample. Online and target
 * critics are two instances; only the online one requires gradients. The target critics take
 * states and actions as separate blocks of their input, so backpropagation reaches the actions
 * (and through them the actor) without computing a gradient for the states.
 */
final class Critics implements AutoCloseable {

    private final List<FeedForward> networks;
    private boolean trainable;

    private Critics(List<FeedForward> networks) {
        this.networks = networks;
    }

    static Critics initialised(NDManager manager, int critics, int inputSize, int hidden, int nodes,
                               RandomStream random) {
        List<FeedForward> networks = new ArrayList<>();
        for (int i = 0; i < critics; i++) {
            networks.add(FeedForward.initialised(manager, inputSize, hidden, nodes, random));
        }
        return new Critics(networks);
    }

    Critics copy(NDManager manager) {
        return new Critics(networks.stream().map(n -> n.copy(manager)).toList());
    }

    /** Online critics: every parameter collects gradients. */
    void requireGradients() {
        networks.forEach(FeedForward::requireGradients);
        trainable = true;
    }

    List<FeedForward> networks() {
        return networks;
    }

    /**
     * (B, S) states and (B, A) actions → (B, Q) values, critic 0's nodes first.
     *
     * @param dropout one (B, q) GradientDropout mask per critic, or null
     */
    NDArray values(NDArray states, NDArray actions, NDList dropout) {
        NDArray input = trainable ? states.concat(actions, 1) : null;
        NDList outputs = new NDList(networks.size());
        for (int i = 0; i < networks.size(); i++) {
            NDArray mask = dropout == null ? null : dropout.get(i);
            outputs.add(trainable ? networks.get(i).forward(mask, input) : networks.get(i).forward(mask, states, actions));
        }
        return NDArrays.concat(outputs, 1);
    }

    @Override
    public void close() {
        networks.forEach(FeedForward::close);
    }
}
