package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.replay.fading.FadingReplayBufferFactory;
import org.symphonyrl.trainer.Fakes.FaultyEnvironment;
import org.symphonyrl.trainer.Fakes.RecordingAgent;
import org.symphonyrl.trainer.Fakes.RecordingBuffer;
import org.symphonyrl.trainer.Fakes.ScriptedEnvironment;

/** The rules of docs/algorithm.md §5, step by step, with recording doubles of the api services. */
class TrainingLoopTest {

    static final class Recorder implements RunListener {
        final List<EpisodeEvent> episodes = new ArrayList<>();
        final List<EvaluationEvent> evaluations = new ArrayList<>();
        final List<StepEvent> steps = new ArrayList<>();
        final List<EpisodeCut> cuts = new ArrayList<>();
        final List<Integer> nonFinite = new ArrayList<>();
        final List<String> notices = new ArrayList<>();

        @Override
        public void onEpisodeEnd(EpisodeEvent e, EpisodeCut cut, int count) {
            onEpisode(e);
            cuts.add(cut);
            nonFinite.add(count);
        }

        @Override
        public void onNotice(String line) {
            notices.add(line);
        }

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

    private static TrainingLoop loop(Hyperparameters p, Environment env, Environment evalEnv,
                                     RecordingAgent agent, RecordingBuffer buffer, Recorder recorder) {
        return new TrainingLoop(p, env, evalEnv, agent, buffer, new RunStreams(42), 0, 0, recorder);
    }

    private static void stepsTo(TrainingLoop loop, long step) {
        while (loop.steps() < step) {
            loop.step();
        }
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
        loop.truncateEpisode(EpisodeCut.END_OF_RUN);
        assertTrue(loop.betweenEpisodes());
        assertEquals(List.of(7, 7, 3), recorder.episodes.stream().map(e -> e.length()).toList());
        assertEquals(List.of(7L, 14L, 17L), recorder.episodes.stream().map(e -> e.step()).toList());
        // return of a 7-step episode: -(1+...+7) = -28
        assertEquals(-28, recorder.episodes.get(0).episodeReturn(), 0);
        assertEquals(-6, recorder.episodes.get(2).episodeReturn(), 0);
    }

    /**
     * Issue 12: bad values from an environment end an episode, not the run. A scripted environment returns a
     * NaN observation, an infinite reward, NaN in both, a NaN first observation and an interrupted step at
     * chosen calls; the real TrainingLoop and the real Fading Replay Buffer run on. Expected figures are
     * worked out by hand from the script (episodes of 10 steps, observation t, reward −t).
     */
    @Test
    void badValuesEndTheirEpisodeAndNeverReachTheBuffer() {
        FaultyEnvironment env = new FaultyEnvironment(10);
        env.nanObservations.add(5);             // episode 1: steps 1-4 stored, the 5th dropped
        env.nanResets.add(3);                    // episode 3 never starts
        env.badRewards.put(17, Double.POSITIVE_INFINITY); // episode 4: 1 step stored
        env.nanObservations.add(31);
        env.badRewards.put(31, Double.NaN);      // episode 6: 3 steps stored, then two non-finite numbers
        env.interrupts.add(40);                  // episode 7: 8 steps stored, then the connection is lost
        Hyperparameters p = Fakes.params(20, 1, 1000, 50, 10_000, 1);
        ReplayBuffer buffer = new FadingReplayBufferFactory().create(env.spec(), p, 5);
        RecordingAgent agent = new RecordingAgent();
        Recorder recorder = new Recorder();
        TrainingLoop loop = new TrainingLoop(p, env, new ScriptedEnvironment(0, 10), agent, buffer, new RunStreams(3),
                0, 0, recorder);
        stepsTo(loop, 60);
        loop.truncateEpisode(EpisodeCut.END_OF_RUN);

        assertEquals(List.of(4, 10, 0, 1, 10, 3, 8, 10, 10, 4), recorder.episodes.stream().map(e -> e.length()).toList());
        assertEquals(List.of(4L, 14L, 14L, 15L, 25L, 28L, 36L, 46L, 56L, 60L),
                recorder.episodes.stream().map(e -> e.step()).toList());
        assertEquals(List.of(EpisodeCut.BAD_VALUE, EpisodeCut.NONE, EpisodeCut.BAD_VALUE, EpisodeCut.BAD_VALUE,
                EpisodeCut.NONE, EpisodeCut.BAD_VALUE, EpisodeCut.INTERRUPTED, EpisodeCut.NONE, EpisodeCut.NONE,
                EpisodeCut.END_OF_RUN), recorder.cuts);
        assertEquals(List.of(1, 0, 1, 1, 0, 2, 0, 0, 0, 0), recorder.nonFinite);
        // returns count the stored steps only: -(1+2+3+4), -(1+…+10), 0, -1, -55, -(1+2+3), -(1+…+8)
        assertEquals(List.of(-10.0, -55.0, 0.0, -1.0, -55.0, -6.0, -36.0, -55.0, -55.0, -10.0),
                recorder.episodes.stream().map(e -> e.episodeReturn()).toList());
        assertEquals(64, env.calls, "60 stored steps and 4 dropped ones");
        assertEquals(60, buffer.size(), "every stored step, none of the dropped ones");
        assertEquals(40, agent.updates, "G = 1 update for each of the 40 stored steps after exploration, none for a dropped one");
        BufferSnapshot s = buffer.snapshot();
        for (float[] block : List.of(s.states(), s.actions(), s.rewards(), s.nextStates(), s.discounts())) {
            for (float v : block) {
                assertTrue(Float.isFinite(v), "a non-finite value reached the buffer");
            }
        }
        assertEquals(List.of(
                "step 4: episode 1 cut after 4 steps: the environment returned observation[0] = NaN; the step is"
                        + " dropped (1 such episode in a row; the run stops at 10)",
                "step 14: episode 3 cut after 0 steps: the reset returned observation[0] = NaN; the step is dropped"
                        + " (1 such episode in a row; the run stops at 10)",
                "step 15: episode 4 cut after 1 step: the environment returned reward = Infinity; the step is dropped"
                        + " (2 such episodes in a row; the run stops at 10)",
                "step 28: episode 6 cut after 3 steps: the environment returned observation[0] = NaN, reward = NaN;"
                        + " the step is dropped (1 such episode in a row; the run stops at 10)",
                "step 36: episode 7 interrupted after 8 steps: the bridge was restarted; the episode in flight is lost;"
                        + " the step is dropped"), recorder.notices);
        assertEquals(0, loop.badEpisodesInARow());
    }

    @Test
    void episodesCutByBadValuesInARowAreCountedAndAnyOtherEpisodeEndResetsTheCount() {
        FaultyEnvironment env = new FaultyEnvironment(5);
        for (int r = 1; r <= 12; r++) {
            env.nanResets.add(r);
        }
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(20, 1, 1000, 50, 10_000, 1), env, new ScriptedEnvironment(0, 5),
                new RecordingAgent(), new RecordingBuffer(), recorder);
        for (int i = 1; i <= 12; i++) {
            assertTrue(loop.step(), "a bad reset ends its episode at once");
            assertEquals(i, loop.badEpisodesInARow());
        }
        assertEquals(0, loop.steps(), "no step was taken");
        steps(loop, 5);
        assertEquals(0, loop.badEpisodesInARow(), "an episode the environment ended resets the count");
        assertEquals(BadValues.MAX_EPISODES_IN_A_ROW, 10);
    }

    @Test
    void anEvaluationWithEpisodesCutShortIsNotWhole() {
        FaultyEnvironment evalEnv = new FaultyEnvironment(4);
        evalEnv.nanResets.add(2); // the second of three evaluation episodes
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(5, 1, 1000, 50, 10, 3), new ScriptedEnvironment(0, 7), evalEnv,
                new RecordingAgent(), new RecordingBuffer(), recorder);
        stepsTo(loop, 10);
        assertFalse(loop.lastEvaluationWhole());
        // returns -(1+2+3+4) = -10, 0 (cut at its reset), -10
        assertArrayEquals(new double[] {-10, 0, -10}, recorder.evaluations.get(0).returns(), 0);
        assertEquals(List.of("step 10: 1 of 3 evaluation episodes were cut short (the reset returned observation[0] ="
                + " NaN); their returns count up to the cut"), recorder.notices);
        stepsTo(loop, 20);
        assertTrue(loop.lastEvaluationWhole());
    }

    @Test
    void theFinalEvaluationIsNeededOnlyAfterLearningAndOffTheEvaluationGrid() {
        Recorder recorder = new Recorder();
        TrainingLoop loop = loop(Fakes.params(10, 1, 1000, 50, 20, 2), new ScriptedEnvironment(0, 7),
                new ScriptedEnvironment(0, 3), new RecordingAgent(), new RecordingBuffer(), recorder);
        stepsTo(loop, 10);
        assertFalse(loop.needsFinalEvaluation(), "nothing learnt yet");
        stepsTo(loop, 20);
        assertEquals(List.of(20L), recorder.evaluations.stream().map(e -> e.step()).toList());
        assertFalse(loop.needsFinalEvaluation(), "step 20 was evaluated on the grid");
        stepsTo(loop, 27);
        assertTrue(loop.needsFinalEvaluation());
        loop.evaluate();
        assertFalse(loop.needsFinalEvaluation());
        assertEquals(List.of(20L, 27L), recorder.evaluations.stream().map(e -> e.step()).toList());
    }
}
