package org.symphonyrl.trainer;

import org.symphonyrl.api.random.RandomStream;

/**
 * Every random stream of a run, derived by name from the one run seed (docs/algorithm.md §5). The agent
 * and the buffer get seeds of their own and keep their streams' state in their snapshots; the trainer
 * keeps the two it draws from (episode reset seeds, evaluation reset seeds) in its checkpoints.
 */
final class RunStreams {

    private final RandomStream episodes;
    private final RandomStream evaluation;
    private final long agentSeed;
    private final long bufferSeed;

    RunStreams(long runSeed) {
        episodes = RandomStream.derive(runSeed, "episodes");
        evaluation = RandomStream.derive(runSeed, "evaluation");
        agentSeed = RandomStream.derive(runSeed, "agent").nextLong();
        bufferSeed = RandomStream.derive(runSeed, "buffer").nextLong();
    }

    /** Seeds for {@code reset(seed)} of training episodes. */
    RandomStream episodes() {
        return episodes;
    }

    /** Seeds for {@code reset(seed)} of evaluation episodes. */
    RandomStream evaluation() {
        return evaluation;
    }

    long agentSeed() {
        return agentSeed;
    }

    long bufferSeed() {
        return bufferSeed;
    }
}
