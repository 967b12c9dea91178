package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.random.RandomStream;

/**
 * The agent's state as an api {@link AgentSnapshot} (api types only, so a snapshot survives a hot
 * swap into a freshly installed bundle). Tensor names: {@code actor.<p>}, {@code critic<i>.<p>},
 * {@code target<i>.<p>} (i = 0..k−1) for the networks ({@link FeedForward#NAMES}), {@code adam.m.<name>} and
 * {@code adam.v.<name>} for the optimiser moments. Scalars: the moving average Q̄ and the update
 * count. Random state: act noise, update noise and dropout streams, 4 words each.
 */
final class AgentState {

    static final int FORMAT_VERSION = 1;
    static final String MOVING_AVERAGE = "movingAverage";
    static final String UPDATES = "updates";

    private AgentState() {
    }

    /** The online parameters by snapshot name: the actor's, then the critics'. */
    static Map<String, NDArray> onlineParameters(Actor actor, Critics critics) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        actor.network().parameters().forEach((n, p) -> named.put("actor." + n, p));
        for (int i = 0; i < critics.networks().size(); i++) {
            String prefix = "critic" + i + ".";
            critics.networks().get(i).parameters().forEach((n, p) -> named.put(prefix + n, p));
        }
        return named;
    }

    /** Every array of the agent by snapshot name (live arrays). */
    static Map<String, NDArray> arrays(SymphonyAgent agent) {
        Map<String, NDArray> all = new LinkedHashMap<>(onlineParameters(agent.actor(), agent.critics()));
        for (int i = 0; i < agent.targetCritics().networks().size(); i++) {
            String prefix = "target" + i + ".";
            agent.targetCritics().networks().get(i).parameters().forEach((n, p) -> all.put(prefix + n, p));
        }
        agent.optimiser().firstMoments().forEach((n, m) -> all.put("adam.m." + n, m));
        agent.optimiser().secondMoments().forEach((n, v) -> all.put("adam.v." + n, v));
        return all;
    }

    static AgentSnapshot capture(SymphonyAgent agent) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        arrays(agent).forEach((name, array) -> tensors.put(name, new Tensor(array.getShape().getShape(),
                array.toFloatArray())));
        Map<String, Double> scalars = Map.of(MOVING_AVERAGE, agent.temporalAdvantage().movingAverage(),
                UPDATES, (double) agent.updates());
        RandomStream[] streams = agent.randomStreams();
        long[] random = new long[4 * streams.length];
        for (int i = 0; i < streams.length; i++) {
            System.arraycopy(streams[i].state(), 0, random, 4 * i, 4);
        }
        return new AgentSnapshot(SymphonyAgent.KIND, FORMAT_VERSION, tensors, scalars, random);
    }

    /** Checks the whole snapshot first, then writes it, so a bad snapshot leaves the agent untouched. */
    static void restore(SymphonyAgent agent, AgentSnapshot snapshot) {
        if (!SymphonyAgent.KIND.equals(snapshot.kind())) {
            throw new IllegalArgumentException("snapshot of kind '" + snapshot.kind() + "', expected '"
                    + SymphonyAgent.KIND + "'");
        }
        if (snapshot.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("snapshot format version " + snapshot.formatVersion()
                    + ", this agent reads version " + FORMAT_VERSION);
        }
        Map<String, NDArray> arrays = arrays(agent);
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            Tensor t = snapshot.tensors().get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("snapshot lacks tensor " + e.getKey());
            }
            Shape expected = e.getValue().getShape();
            if (!Arrays.equals(t.shape(), expected.getShape())) {
                throw new IllegalArgumentException("snapshot tensor " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", this agent's is " + expected
                        + " (a snapshot restores only into an agent of the same sizes)");
            }
        }
        for (String scalar : new String[] {MOVING_AVERAGE, UPDATES}) {
            if (!snapshot.scalars().containsKey(scalar)) {
                throw new IllegalArgumentException("snapshot lacks scalar " + scalar);
            }
        }
        RandomStream[] streams = agent.randomStreams();
        if (snapshot.randomState().length != 4 * streams.length) {
            throw new IllegalArgumentException("snapshot random state has " + snapshot.randomState().length
                    + " words, expected " + 4 * streams.length);
        }
        arrays.forEach((name, array) -> WholeArray.write(array, snapshot.tensors().get(name).data()));
        agent.temporalAdvantage().restore(snapshot.scalars().get(MOVING_AVERAGE));
        agent.setUpdates(snapshot.scalars().get(UPDATES).longValue());
        for (int i = 0; i < streams.length; i++) {
            streams[i].setState(Arrays.copyOfRange(snapshot.randomState(), 4 * i, 4 * i + 4));
        }
    }
}
