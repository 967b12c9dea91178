package org.symphonyrl.trainer;

import java.util.Locale;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.StepResult;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.api.TrainingListener.EpisodeEvent;
import org.symphonyrl.api.TrainingListener.StepEvent;
import org.symphonyrl.api.UpdateStats;
import org.symphonyrl.api.random.RandomStream;

/**
 * The training loop of docs/algorithm.md §5, one environment step per call of {@link #step()}, so that the
 * caller can swap the agent or the buffer, checkpoint, or stop between two steps.
 *
 * <ul>
 *   <li>The first {@code N_exp} steps act with the untrained actor plus noise ({@link ActMode#TRAIN})
 *       and only fill the buffer; after the {@code N_exp}-th transition is stored the buffer ends its
 *       exploration (reward scale r̄ and the fill by repetition). Every later step does G updates.</li>
 *   <li>The buffer stores the environment's <em>terminated</em> flag, never truncated.</li>
 *   <li>After exploration, with episode steps numbered from 1, every step numbered
 *       {@code limit − fallMargin} or later (the last 51 of a full-length episode at 1000 − 50) acts with
 *       {@link ActMode#FALL} (active = 0, noise only) until it ends, so that the buffer receives
 *       terminal transitions. {@code limit} is the preset's {@code episodeLimit}, where the trainer
 *       truncates; an environment whose own limit is shorter (Pendulum-v1: 200) truncates first.</li>
 *   <li>Every {@code evaluationInterval} steps of the run (counted from step 0, as the paper's curves
 *       are), once exploration is over, {@link Evaluation} runs noise-free episodes on a separate
 *       environment instance; the training episode in progress is not disturbed.</li>
 *   <li>Each training episode starts with {@code reset(seed)}, the seed drawn from the run's
 *       "episodes" stream, so a resumed run draws the same episodes as an uninterrupted one.</li>
 *   <li>A step the environment could not really take ({@code StepResult.interrupted()}: a lost bridge, an
 *       emergency stop) or that returned a bad value ({@link BadValues}: a non-finite observation or reward)
 *       is not a transition: it is neither stored nor counted nor learnt from, and it ends the episode as a
 *       cut ({@link EpisodeCut}) with a console line saying why.</li>
 * </ul>
 */
final class TrainingLoop {

    private final Hyperparameters params;
    private final Environment environment;
    private final Environment evaluationEnvironment;
    private final RunStreams streams;
    private final RunListener events;
    private final BadValues badValues;
    private Agent agent;
    private ReplayBuffer buffer;

    private long step;
    private long episode;
    private int badEpisodesInARow;
    private long lastEvaluationStep = -1;
    private boolean lastEvaluationWhole;

    /** The running episode; {@code observation == null} between episodes. */
    private float[] observation;
    private int episodeLength;
    private double episodeReturn;
    private final EpisodeStats stats = new EpisodeStats();

    TrainingLoop(Hyperparameters params, Environment environment, Environment evaluationEnvironment, Agent agent,
                 ReplayBuffer buffer, RunStreams streams, long step, long episode, TrainingListener events) {
        this.params = params;
        this.environment = environment;
        this.evaluationEnvironment = evaluationEnvironment;
        this.agent = agent;
        this.buffer = buffer;
        this.streams = streams;
        this.step = step;
        this.episode = episode;
        this.events = RunListener.of(events);
        this.badValues = new BadValues(environment.spec().observationSize());
    }

    /** Continues a streak of episodes cut by bad values that a checkpoint recorded. */
    void restoreBadEpisodesInARow(int count) {
        badEpisodesInARow = count;
    }

    /**
     * One environment step, starting an episode first if none is running.
     *
     * @return whether this step ended the episode
     */
    boolean step() {
        if (observation == null) {
            float[] first = environment.reset(streams.episodes().nextLong());
            episodeLength = 0;
            episodeReturn = 0;
            stats.clear();
            if (!badValues.accept(first, "observation")) {
                cut(EpisodeCut.BAD_VALUE, exploring(), "the reset returned " + badValues.description());
                return true;
            }
            observation = first;
        }
        boolean exploring = exploring();
        ActMode mode = !exploring && episodeLength + 1 >= params.episodeLimit() - params.fallMargin()
                ? ActMode.FALL : ActMode.TRAIN;
        float[] action = agent.act(observation, mode);
        StepResult result = environment.step(action);
        if (result.interrupted()) {
            String reason = result.interruptionReason();
            cut(result.emergencyStop() ? EpisodeCut.EMERGENCY_STOP : EpisodeCut.INTERRUPTED, exploring,
                    (result.emergencyStop() ? "emergency stop: " : "") + (reason == null ? "no reason given" : reason));
            return true;
        }
        if (!badValues.accept(result)) {
            cut(EpisodeCut.BAD_VALUE, exploring, "the environment returned " + badValues.description());
            return true;
        }
        buffer.add(observation, action, result.reward(), result.observation(), result.terminated());
        step++;
        episodeLength++;
        episodeReturn += result.reward();
        observation = result.observation();

        if (step == params.explorationSteps()) {
            buffer.endExploration();
        }
        if (!exploring) {
            for (int g = 0; g < params.updatesPerStep(); g++) {
                stats.add(agent.update(buffer.sample(params.batchSize())));
            }
        }
        boolean truncated = result.truncated() || episodeLength >= params.episodeLimit();
        events.onStep(new StepEvent(step, episode, result.reward(), result.terminated(), truncated, exploring));
        if (!exploring && step % params.evaluationInterval() == 0) {
            evaluate();
        }
        if (result.terminated() || truncated) {
            badEpisodesInARow = 0;
            finishEpisode(result.terminated(), exploring, EpisodeCut.NONE, 0);
            return true;
        }
        return false;
    }

    /** Evaluates the agent now ({@link Evaluation}) and reports it; also called at the final step of a run. */
    void evaluate() {
        Evaluation.Result r = Evaluation.run(agent, evaluationEnvironment, params.evaluationEpisodes(),
                params.episodeLimit(), streams.evaluation(), badValues);
        lastEvaluationStep = step;
        lastEvaluationWhole = r.cut() == 0;
        if (r.cut() > 0) {
            events.onNotice(String.format(Locale.ROOT, "step %d: %d of %d evaluation episodes were cut short (%s);"
                    + " their returns count up to the cut", step, r.cut(), r.returns().length, r.lastCut()));
        }
        events.onEvaluation(Evaluation.event(step, r.returns()));
    }

    /** Whether no episode of the last evaluation was cut short (only such an evaluation can be the run's best). */
    boolean lastEvaluationWhole() {
        return lastEvaluationWhole;
    }

    /** Whether the run, ending at this step, still needs its final evaluation: it has learnt, and not been evaluated here. */
    boolean needsFinalEvaluation() {
        return !exploring() && step > params.explorationSteps() && lastEvaluationStep != step
                && step % params.evaluationInterval() != 0;
    }

    /**
     * Ends the running episode as cut by the run itself (end of the run, a stop request), so that a
     * checkpoint lies on an episode boundary and the episode log accounts for every step.
     */
    void truncateEpisode(EpisodeCut cut) {
        if (observation != null) {
            finishEpisode(false, exploring(), cut, 0);
        }
    }

    /** Ends the running episode before the step just tried, which is dropped, and says why on the console. */
    private void cut(EpisodeCut cut, boolean exploring, String why) {
        String streak = "";
        int nonFinite = 0;
        if (cut == EpisodeCut.BAD_VALUE) {
            badEpisodesInARow++;
            nonFinite = badValues.count();
            streak = String.format(Locale.ROOT, " (%d such episode%s in a row; the run stops at %d)", badEpisodesInARow,
                    badEpisodesInARow == 1 ? "" : "s", BadValues.MAX_EPISODES_IN_A_ROW);
        } else {
            badEpisodesInARow = 0;
        }
        events.onNotice(String.format(Locale.ROOT, "step %d: episode %d %s after %d step%s: %s; the step is dropped%s",
                step, episode + 1, cut == EpisodeCut.BAD_VALUE ? "cut" : "interrupted", episodeLength,
                episodeLength == 1 ? "" : "s", why, streak));
        finishEpisode(false, exploring, cut, nonFinite);
    }

    private void finishEpisode(boolean terminated, boolean exploring, EpisodeCut cut, int nonFinite) {
        episode++;
        events.onEpisodeEnd(new EpisodeEvent(episode, step, episodeReturn, episodeLength, terminated,
                stats.meanSigma(), stats.meanBeta(), stats.advantage(), exploring), cut, nonFinite);
        observation = null;
    }

    /** Episodes in a row that bad values cut short (0 after any episode the environment ended). */
    int badEpisodesInARow() {
        return badEpisodesInARow;
    }

    /** Whether the next step is an exploration step (before any update). */
    boolean exploring() {
        return step < params.explorationSteps();
    }

    boolean betweenEpisodes() {
        return observation == null;
    }

    long steps() {
        return step;
    }

    long episodes() {
        return episode;
    }

    Agent agent() {
        return agent;
    }

    ReplayBuffer buffer() {
        return buffer;
    }

    /** Replaces the agent between two steps (hot swap); the new one must already hold the old one's state. */
    void replaceAgent(Agent replacement) {
        agent = replacement;
    }

    /** Replaces the buffer between two steps (hot swap); the new one must already hold the old one's contents. */
    void replaceBuffer(ReplayBuffer replacement) {
        buffer = replacement;
    }

    /** Means of the agent's update statistics over one episode (NaN while exploring: no updates). */
    private static final class EpisodeStats {
        private double sigma;
        private double beta;
        private double advantage;
        private long count;

        void add(UpdateStats s) {
            sigma += s.meanSigma();
            beta += s.meanBeta();
            advantage += s.advantage();
            count++;
        }

        void clear() {
            sigma = beta = advantage = 0;
            count = 0;
        }

        double meanSigma() {
            return count == 0 ? Double.NaN : sigma / count;
        }

        double meanBeta() {
            return count == 0 ? Double.NaN : beta / count;
        }

        double advantage() {
            return count == 0 ? Double.NaN : advantage / count;
        }
    }
}
