package org.symphonyrl.trainer;

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
 * </ul>
 */
final class TrainingLoop {

    private final Hyperparameters params;
    private final Environment environment;
    private final Environment evaluationEnvironment;
    private final RunStreams streams;
    private final TrainingListener events;
    private Agent agent;
    private ReplayBuffer buffer;

    private long step;
    private long episode;

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
        this.events = events;
    }

    /**
     * One environment step, starting an episode first if none is running.
     *
     * @return whether this step ended the episode
     */
    boolean step() {
        if (observation == null) {
            observation = environment.reset(streams.episodes().nextLong());
            episodeLength = 0;
            episodeReturn = 0;
            stats.clear();
        }
        boolean exploring = exploring();
        ActMode mode = !exploring && episodeLength + 1 >= params.episodeLimit() - params.fallMargin()
                ? ActMode.FALL : ActMode.TRAIN;
        float[] action = agent.act(observation, mode);
        StepResult result = environment.step(action);
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
            double[] returns = Evaluation.returns(agent, evaluationEnvironment, params.evaluationEpisodes(),
                    params.episodeLimit(), streams.evaluation());
            events.onEvaluation(Evaluation.event(step, returns));
        }
        if (result.terminated() || truncated) {
            finishEpisode(result.terminated(), exploring);
            return true;
        }
        return false;
    }

    /**
     * Ends the running episode as truncated by the run itself (end of the run, a stop request), so that
     * a checkpoint lies on an episode boundary and the episode log accounts for every step.
     */
    void truncateEpisode() {
        if (observation != null) {
            finishEpisode(false, exploring());
        }
    }

    private void finishEpisode(boolean terminated, boolean exploring) {
        episode++;
        events.onEpisode(new EpisodeEvent(episode, step, episodeReturn, episodeLength, terminated,
                stats.meanSigma(), stats.meanBeta(), stats.advantage(), exploring));
        observation = null;
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
