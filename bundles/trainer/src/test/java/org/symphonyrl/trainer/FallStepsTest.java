package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.trainer.Fakes.RecordingAgent;
import org.symphonyrl.trainer.Fakes.RecordingBuffer;
import org.symphonyrl.trainer.Fakes.ScriptedEnvironment;

/**
 * The deliberate fall of docs/algorithm.md §5 with the shipped numbers, limit 1000 and margin 50: with
 * episode steps numbered from 1, steps 950 to 1000 act with noise only, 51 steps, and only after exploration.
 */
class FallStepsTest {

    @Test
    void aFullLengthEpisodeFallsForItsLast51Steps() {
        RecordingAgent agent = new RecordingAgent();
        // the environment never ends an episode itself: the trainer truncates at 1000
        TrainingLoop loop = new TrainingLoop(Fakes.params(1000, 1, 1000, 50, 10_000, 1), new ScriptedEnvironment(0, 0),
                new ScriptedEnvironment(0, 0), agent, new RecordingBuffer(), new RunStreams(7), 0, 0,
                new TrainingListener() { });
        for (int i = 0; i < 2000; i++) {
            loop.step();
        }
        List<Integer> exploringFalls = fallSteps(agent.modes.subList(0, 1000));
        List<Integer> falls = fallSteps(agent.modes.subList(1000, 2000));
        assertEquals(List.of(), exploringFalls, "the first episode is all exploration: no fall");
        assertEquals(51, falls.size(), "fall steps of a full-length episode after exploration");
        List<Integer> expected = new ArrayList<>();
        for (int n = 950; n <= 1000; n++) {
            expected.add(n);
        }
        assertEquals(expected, falls, "the step numbers, counted from 1");
    }

    /** Step numbers (from 1) of one episode's actions that were taken in {@link ActMode#FALL}. */
    private static List<Integer> fallSteps(List<ActMode> episode) {
        List<Integer> steps = new ArrayList<>();
        for (int i = 0; i < episode.size(); i++) {
            if (episode.get(i) == ActMode.FALL) {
                steps.add(i + 1);
            }
        }
        return steps;
    }
}
