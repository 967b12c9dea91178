package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.random.RandomStream;

/**
 * The two soft Q networks Q_θ1, Q_θ2 (Haarnoja et al. 2018, §4.2: two Q functions, the minimum of the two
 * in the target and the policy loss, against overestimation), each an {@link Mlp} S+A → h → h → 1 on
 * concat(state, action). The online pair and the target pair are two instances.
 */
final class TwinCritics implements AutoCloseable {

    /** The two networks' values for one batch, each (B, 1). */
    record Values(NDArray q1, NDArray q2) {

        /** min(Q1, Q2), (B, 1). */
        NDArray min() {
            return q1.minimum(q2);
        }
    }

    private final Mlp q1;
    private final Mlp q2;

    private TwinCritics(Mlp q1, Mlp q2) {
        this.q1 = q1;
        this.q2 = q2;
    }

    static TwinCritics initialised(NDManager manager, int inputSize, int hidden, RandomStream random) {
        Mlp first = Mlp.initialised(manager, inputSize, hidden, 1, random);
        return new TwinCritics(first, Mlp.initialised(manager, inputSize, hidden, 1, random));
    }

    TwinCritics copy(NDManager manager) {
        return new TwinCritics(q1.copy(manager), q2.copy(manager));
    }

    void requireGradients() {
        q1.requireGradients();
        q2.requireGradients();
    }

    /** Both networks' parameters, named {@code q1.<p>} and {@code q2.<p>} (live arrays). */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> named = new LinkedHashMap<>();
        q1.parameters().forEach((n, p) -> named.put("q1." + n, p));
        q2.parameters().forEach((n, p) -> named.put("q2." + n, p));
        return named;
    }

    /**
     * (B, S) states and (B, A) actions → both Q values.
     *
     * @param frozen parameters as constants: gradients reach the actions only (the policy loss)
     */
    Values values(NDArray states, NDArray actions, boolean frozen) {
        NDArray input = states.concat(actions, 1);
        return new Values(q1.forward(input, frozen), q2.forward(input, frozen));
    }

    @Override
    public void close() {
        q1.close();
        q2.close();
    }
}
