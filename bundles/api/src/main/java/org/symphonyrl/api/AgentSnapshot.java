package org.symphonyrl.api;

import java.util.Map;

/**
 * Everything that defines an agent, in api types only, so it can cross a hot swap and be written
 * into a checkpoint: online and target weights, optimiser moments, scalars such as the moving
 * average Q̄, and the state of the agent's random streams.
 *
 * @param kind          the agent kind (the {@link AgentFactory#KIND} of the factory that made it)
 * @param formatVersion version of the key layout, so a newer bundle can read an older snapshot
 * @param tensors       named arrays (weights, moments); names are the agent's own
 * @param scalars       named scalars (e.g. the moving average, the update counter)
 * @param randomState   state of the agent's random streams, concatenated
 */
public record AgentSnapshot(String kind, int formatVersion, Map<String, Tensor> tensors,
                            Map<String, Double> scalars, long[] randomState) {

    public AgentSnapshot {
        tensors = Map.copyOf(tensors);
        scalars = Map.copyOf(scalars);
        randomState = randomState.clone();
    }
}
