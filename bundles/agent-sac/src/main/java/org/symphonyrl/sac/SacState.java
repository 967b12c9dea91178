package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.random.RandomStream;

/**
 * The SAC agent's state as an api {@link AgentSnapshot}, everything an exact resume needs. Tensors:
 * {@code policy.<p>}, {@code q1.<p>}, {@code q2.<p>} ({@link Mlp#NAMES}), {@code target.q1.<p>},
 * {@code target.q2.<p>}, {@code logAlpha}, and {@code adam.m.<name>} / {@code adam.v.<name>} for every
 * trained one. Scalars: {@code updates}, {@code steps} (training actions taken, which ends the warm-up) and
 * the three optimisers' step counts. Random state: the act, warm-up and update streams, 4 words each.
 */
final class SacState {

    static final int FORMAT_VERSION = 1;
    static final String UPDATES = "updates";
    static final String STEPS = "steps";
    static final String POLICY_ADAM = "adam.policy.steps";
    static final String CRITIC_ADAM = "adam.critic.steps";
    static final String ALPHA_ADAM = "adam.alpha.steps";
    private static final String[] SCALARS = {UPDATES, STEPS, POLICY_ADAM, CRITIC_ADAM, ALPHA_ADAM};

    private SacState() {
    }

    /** The policy's parameters by snapshot name (live arrays). */
    static Map<String, NDArray> policyParameters(GaussianPolicy policy) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        policy.network().parameters().forEach((n, p) -> named.put("policy." + n, p));
        return named;
    }

    /** Every array of the agent by snapshot name (live arrays). */
    static Map<String, NDArray> arrays(SacAgent agent) {
        Map<String, NDArray> all = new LinkedHashMap<>(policyParameters(agent.policy()));
        all.putAll(agent.critics().parameters());
        agent.targets().parameters().forEach((n, p) -> all.put("target." + n, p));
        all.putAll(agent.temperature().parameters());
        for (Adam adam : agent.optimisers()) {
            adam.firstMoments().forEach((n, m) -> all.put("adam.m." + n, m));
            adam.secondMoments().forEach((n, v) -> all.put("adam.v." + n, v));
        }
        return all;
    }

    static AgentSnapshot capture(SacAgent agent) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        arrays(agent).forEach((name, array) -> tensors.put(name, new Tensor(array.getShape().getShape(),
                array.toFloatArray())));
        Adam[] adams = agent.optimisers();
        Map<String, Double> scalars = Map.of(UPDATES, (double) agent.updates(), STEPS, (double) agent.steps(),
                POLICY_ADAM, (double) adams[0].steps(), CRITIC_ADAM, (double) adams[1].steps(),
                ALPHA_ADAM, (double) adams[2].steps());
        RandomStream[] streams = agent.randomStreams();
        long[] random = new long[4 * streams.length];
        for (int i = 0; i < streams.length; i++) {
            System.arraycopy(streams[i].state(), 0, random, 4 * i, 4);
        }
        return new AgentSnapshot(SacAgent.KIND, FORMAT_VERSION, tensors, scalars, random);
    }

    /** Checks the whole snapshot first, then writes it, so a bad snapshot leaves the agent untouched. */
    static void restore(SacAgent agent, AgentSnapshot snapshot) {
        if (!SacAgent.KIND.equals(snapshot.kind())) {
            throw new IllegalArgumentException("snapshot of kind '" + snapshot.kind() + "', expected '"
                    + SacAgent.KIND + "'");
        }
        if (snapshot.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("snapshot format version " + snapshot.formatVersion()
                    + ", this agent reads version " + FORMAT_VERSION);
        }
        Map<String, NDArray> arrays = arrays(agent);
        arrays.forEach((name, array) -> {
            Tensor t = snapshot.tensors().get(name);
            if (t == null) {
                throw new IllegalArgumentException("snapshot lacks tensor " + name);
            }
            if (!Arrays.equals(t.shape(), array.getShape().getShape())) {
                throw new IllegalArgumentException("snapshot tensor " + name + " has shape "
                        + Arrays.toString(t.shape()) + ", this agent's is " + array.getShape()
                        + " (a snapshot restores only into an agent of the same sizes)");
            }
        });
        for (String scalar : SCALARS) {
            Double value = snapshot.scalars().get(scalar);
            if (value == null || !(value >= 0) || value != Math.rint(value)) {
                throw new IllegalArgumentException("snapshot scalar " + scalar + " is " + value
                        + ", expected a whole number >= 0");
            }
        }
        RandomStream[] streams = agent.randomStreams();
        if (snapshot.randomState().length != 4 * streams.length) {
            throw new IllegalArgumentException("snapshot random state has " + snapshot.randomState().length
                    + " words, expected " + 4 * streams.length);
        }
        for (int i = 0; i < streams.length; i++) {
            // checks each state (all-zero is invalid) before anything is written
            RandomStream.fromState(Arrays.copyOfRange(snapshot.randomState(), 4 * i, 4 * i + 4));
        }
        arrays.forEach((name, array) -> InPlace.write(array, snapshot.tensors().get(name).data()));
        Map<String, Double> s = snapshot.scalars();
        agent.setCounters(s.get(UPDATES).longValue(), s.get(STEPS).longValue());
        Adam[] adams = agent.optimisers();
        adams[0].setSteps(s.get(POLICY_ADAM).longValue());
        adams[1].setSteps(s.get(CRITIC_ADAM).longValue());
        adams[2].setSteps(s.get(ALPHA_ADAM).longValue());
        for (int i = 0; i < streams.length; i++) {
            streams[i].setState(Arrays.copyOfRange(snapshot.randomState(), 4 * i, 4 * i + 4));
        }
    }
}
