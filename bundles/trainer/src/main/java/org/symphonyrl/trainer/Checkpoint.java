package org.symphonyrl.trainer;

import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;

/**
 * Everything a run needs to continue exactly where it was, taken between two episodes: the step and
 * episode counters, the state of the trainer's two random streams, and the agent's and the buffer's
 * own snapshots (weights, optimiser moments, moving average Q̄, transitions, r̄, their random streams).
 */
record Checkpoint(long step, long episode, long[] episodeSeeds, long[] evaluationSeeds,
                  AgentSnapshot agent, BufferSnapshot buffer) {

    Checkpoint {
        episodeSeeds = episodeSeeds.clone();
        evaluationSeeds = evaluationSeeds.clone();
    }
}
