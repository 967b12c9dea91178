package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.trainer.Fakes.RecordingAgent;
import org.symphonyrl.trainer.Fakes.RecordingBuffer;
import org.symphonyrl.trainer.Fakes.ScriptedEnvironment;

/** The rules of docs/algorithm.md §5, step by step, with recording doubles of the api services. */
class TrainingLoopTest {

    static final class Recorder implements TrainingListener {
        final List<EpisodeEvent> episodes = new ArrayList<>();
        final List<EvaluationEvent> evaluations = new ArrayList<>();
        final List<StepEvent> steps = new ArrayList<>();

        @Override
        public void onStep(StepEvent e) {
            steps.add(e);
        }

        @Override
        public void onEpisode(EpisodeEvent e) {
            episodes.add(e);
        }

        @Override
        public void onEvaluation(EvaluationEvent e) {
            evaluations.add(e);
        }
    }

    private static TrainingLoop loop(Hyperparameters p, ScriptedEnvironment env, ScriptedEnvironment evalEnv,
                                     RecordingAgent agent, RecordingBuffer buffer, Recorder recorder) {
        return new TrainingLoop(p, env, evalEnv, agent, buffer, new RunStreams(42), 0, 0, recorder);
    }

    private static void steps(TrainingLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.step();
        }
    }

    @Test
    void theBufferStoresTerminatedNeverTruncated() {
        // episodes of the environment: terminate at step 7 every time, except that the env truncates at 5
        // would hide it; so use two environments' worth: terminate at 7 with limit 0, then truncate at 5
        ScriptedEnvironment terminating = new ScriptedEnvironment(7, 0);
        RecordingBuffer b1 = new RecordingBuffer();
        steps(loop(Fakes.params(3, 1, 1000, 50, 10_000, 1), terminating, new ScriptedEnvironment(0, 5),
                new RecordingAgent(), b1, new Recorder()), 21);
        for (int i = 0; i < 21; i++) {
            assertEquals((i + 1) % 7 == 0, b1.terminated.get(i), "transition " + i);
        }

        ScriptedEnvironment truncating = new ScriptedEnvironment(0, 5);
        RecordingBuffer b2 = new RecordingBuffer();
        Recorder r2 = new Recorder();
        steps(loop(Fakes.params(3, 1, 1000, 50, 10_000, 1), truncating, new ScriptedEnvironment(0, 5),
                new RecordingAgent(), b2, r2), 20);
        assertFalse(b2.terminated.contains(true), "a truncated step was stored as terminal");
        assertEquals(4, r2.episodes.size(), "the environment's truncation ends episodes");
        assertTrue(truncating.results.stream().filter(r -> r.truncated()).count() == 4);
    }

    @Test
    void explorationOnlyFillsTheBufferThenEveryStepDoesGUpdates() {
        RecordingAgent agent = new RecordingAgent();
        RecordingBuffer buffer = new RecordingBuffer();
        TrainingLoop loop = loop(Fakes.params(30, 3, 1000, 50, 10_000, 1), new ScriptedEnvironment(0, 0),
                new ScriptedEnvironment(0, 0), agent, buffer, new Recorder());
        steps(loop, 29);
        assertEquals(0, agent.updates, "no update during exploration");
        assertFalse(buffer.explorationEnded());
        loop.step();
        assertEquals(30, buffer.endedAtSize, "exploration ends right after the N_exp-th transition is stored");
        assertEquals(0, agent.updates, "the N_exp-th step is still an exploration step");
        steps(loop, 10);
        assertEquals(30, agent.updates, "G = 3 updates for each of the 10 steps after exploration");
        assertEquals(4, agent.batches.get(0).size(), "batches of B");
        assertTrue(agent.modes.stream().allMatch(m -> m == ActMode.TRAIN), "exploration acts with noise, active on");
    }

    @Test
    void activeDropsToZeroAtLimitMinusFallMarginAfterExplorationOnly() {
        // limit 20, margin 5; the environment never ends an episode itself, so the trainer truncates at 20
        RecordingAgent agent = new RecordingAgent();
        RecordingBuffer buffer = new RecordingBuffer();
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(40, 1, 20, 5, 10_000, 1), new ScriptedEnvironment(0, 0),
                new ScriptedEnvironment(0, 0), agent, buffer, recorder);
        steps(loop, 80); // episodes 1-2 explore, 3-4 learn
        for (int i = 0; i < 80; i++) {
            int t = i % 20; // episode step t + 1: noise only from step number 20 − 5 = 15 on
            ActMode expected = i >= 40 && t >= 14 ? ActMode.FALL : ActMode.TRAIN;
            assertEquals(expected, agent.modes.get(i), "step " + i + " (episode step " + t + ")");
        }
        assertEquals(4, recorder.episodes.size());
        recorder.episodes.forEach(e -> assertEquals(20, e.length(), "the trainer truncates at episodeLimit"));
        assertFalse(buffer.terminated.contains(true), "a truncation by the trainer is not terminal");
        assertTrue(recorder.episodes.get(1).exploring() && !recorder.episodes.get(2).exploring());
        assertTrue(Double.isNaN(recorder.episodes.get(0).meanSigma()));
        assertEquals(0.5, recorder.episodes.get(2).meanSigma(), 0);
    }

    @Test
    void evaluationEveryIntervalAfterExplorationUsesNoNoiseOnItsOwnEnvironment() {
        RecordingAgent agent = new RecordingAgent();
        ScriptedEnvironment env = new ScriptedEnvironment(0, 10);
        ScriptedEnvironment evalEnv = new ScriptedEnvironment(0, 4);
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(25, 1, 1000, 50, 20, 3), env, evalEnv, agent, new RecordingBuffer(),
                recorder);
        steps(loop, 100);
        // step 20 is inside exploration (N_exp 25): no evaluation; then 40, 60, 80, 100
        assertEquals(List.of(40L, 60L, 80L, 100L), recorder.evaluations.stream().map(e -> e.step()).toList());
        long evaluateCalls = agent.modes.stream().filter(m -> m == ActMode.EVALUATE).count();
        assertEquals(4 * 3 * 4, evaluateCalls, "4 evaluations × 3 episodes × 4 steps, all noise-free");
        assertEquals(100, env.results.size(), "evaluation never steps the training environment");
        assertEquals(4 * 3 * 4, evalEnv.results.size());
        // reward is -t for t = 1..4: return -10 per evaluation episode
        recorder.evaluations.forEach(e -> {
            assertEquals(-10, e.mean(), 1e-12);
            assertEquals(0, e.std(), 1e-12);
        });
        assertEquals(10, recorder.episodes.size(), "training episodes are not disturbed by evaluations");
    }

    @Test
    void episodeStepCountsAddUpAndTruncateEpisodeClosesTheRunningOne() {
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(5, 1, 1000, 50, 10_000, 1), new ScriptedEnvironment(0, 7),
                new ScriptedEnvironment(0, 7), new RecordingAgent(), new RecordingBuffer(), recorder);
        steps(loop, 17);
        loop.truncateEpisode();
        assertTrue(loop.betweenEpisodes());
        assertEquals(List.of(7, 7, 3), recorder.episodes.stream().map(e -> e.length()).toList());
        assertEquals(List.of(7L, 14L, 17L), recorder.episodes.stream().map(e -> e.step()).toList());
        // return of a 7-step episode: -(1+...+7) = -28
        assertEquals(-28, recorder.episodes.get(0).episodeReturn(), 0);
        assertEquals(-6, recorder.episodes.get(2).episodeReturn(), 0);
    }
}
