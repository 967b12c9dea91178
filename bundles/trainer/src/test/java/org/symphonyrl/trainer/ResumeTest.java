package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.trainer.Fakes.RecordingAgent;
import org.symphonyrl.trainer.Fakes.RecordingBuffer;
import org.symphonyrl.trainer.Fakes.ScriptedEnvironment;

/**
 * A run stopped at an episode boundary, checkpointed to disk and continued in new objects takes exactly
 * the steps an uninterrupted run takes: the same reset seeds, the same evaluation seeds, the same
 * transitions, the same number of updates.
 */
class ResumeTest {

    private final Hyperparameters params = Fakes.params(12, 2, 1000, 50, 15, 2);

    private record Trace(List<Long> resetSeeds, List<Long> evaluationSeeds, int transitions, long updates,
                         List<Long> episodeEnds) {
    }

    private static final class Ends implements TrainingListener {
        final List<Long> steps = new ArrayList<>();

        @Override
        public void onEpisode(EpisodeEvent e) {
            steps.add(e.step());
        }
    }

    @Test
    void aResumedRunContinuesExactlyAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        ScriptedEnvironment env = new ScriptedEnvironment(0, 6);
        ScriptedEnvironment evalEnv = new ScriptedEnvironment(0, 3);
        RecordingAgent agent = new RecordingAgent();
        RecordingBuffer buffer = new RecordingBuffer();
        Ends ends = new Ends();
        TrainingLoop straight = new TrainingLoop(params, env, evalEnv, agent, buffer, new RunStreams(9), 0, 0, ends);
        while (straight.steps() < 60) {
            straight.step();
        }
        Trace expected = new Trace(env.resetSeeds, evalEnv.resetSeeds, buffer.size(), agent.updates, ends.steps);

        // first half: stop at the episode boundary at step 24 and checkpoint
        ScriptedEnvironment env1 = new ScriptedEnvironment(0, 6);
        ScriptedEnvironment evalEnv1 = new ScriptedEnvironment(0, 3);
        RecordingAgent agent1 = new RecordingAgent();
        RecordingBuffer buffer1 = new RecordingBuffer();
        Ends ends1 = new Ends();
        RunStreams streams1 = new RunStreams(9);
        TrainingLoop first = new TrainingLoop(params, env1, evalEnv1, agent1, buffer1, streams1, 0, 0, ends1);
        while (first.steps() < 24) {
            first.step();
        }
        CheckpointStore store = new CheckpointStore(dir);
        store.write(new Checkpoint(first.steps(), first.episodes(), streams1.episodes().state(),
                streams1.evaluation().state(), agent1.snapshot(), buffer1.snapshot(), null, 0));

        // second half: everything new, restored from disk
        Checkpoint c = new CheckpointStore(dir).newestResumable().orElseThrow();
        ScriptedEnvironment env2 = new ScriptedEnvironment(0, 6);
        ScriptedEnvironment evalEnv2 = new ScriptedEnvironment(0, 3);
        RecordingAgent agent2 = new RecordingAgent();
        agent2.restore(c.agent());
        RecordingBuffer buffer2 = new RecordingBuffer();
        buffer2.restore(c.buffer());
        RunStreams streams2 = new RunStreams(9);
        streams2.episodes().setState(c.episodeSeeds());
        streams2.evaluation().setState(c.evaluationSeeds());
        TrainingLoop second = new TrainingLoop(params, env2, evalEnv2, agent2, buffer2, streams2, c.step(), c.episode(), ends1);
        while (second.steps() < 60) {
            second.step();
        }
        List<Long> resets = new ArrayList<>(env1.resetSeeds);
        resets.addAll(env2.resetSeeds);
        List<Long> evalResets = new ArrayList<>(evalEnv1.resetSeeds);
        evalResets.addAll(evalEnv2.resetSeeds);
        assertEquals(expected, new Trace(resets, evalResets, buffer2.size(), agent2.updates, ends1.steps));
        assertEquals(agent.weight, agent2.weight, 0);
    }
}
