package org.symphonyrl.trainer;

import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;

/**
 * Everything a run needs to continue exactly where it was, taken between two episodes: the step and
 * episode counters, the state of the trainer's two random streams, the agent's and the buffer's own
 * snapshots (weights, optimiser moments, moving average Q̄, transitions, r̄, their random streams), the
 * best evaluation mean so far (null before the first evaluation) and the number of episodes in a row
 * that a non-finite value from the environment cut short.
 *
 * <p>{@code buffer} is null when the checkpoint was read for its agent only ({@code eval}).
 */
record Checkpoint(long step, long episode, long[] episodeSeeds, long[] evaluationSeeds,
                  AgentSnapshot agent, BufferSnapshot buffer, Double bestEvaluation, int badEpisodesInARow) {

    Checkpoint {
        episodeSeeds = episodeSeeds.clone();
        evaluationSeeds = evaluationSeeds.clone();
    }
}
