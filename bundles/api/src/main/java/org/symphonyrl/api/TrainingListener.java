package org.symphonyrl.api;

/**
 * Receives a training run's events. Registered as a service, it is called from the training
 * thread, so it must return quickly. Every method has an empty default.
 */
public interface TrainingListener {

    /** After every environment step. */
    default void onStep(StepEvent event) {
    }

    /** After every training episode (not evaluation episodes). */
    default void onEpisode(EpisodeEvent event) {
    }

    /** After every evaluation. */
    default void onEvaluation(EvaluationEvent event) {
    }

    /** When a buffer or agent was swapped in a live run. */
    default void onSwap(SwapEvent event) {
    }

    /** One environment step of a training run. */
    record StepEvent(long step, long episode, double reward, boolean terminated, boolean truncated,
                     boolean exploring) {
    }

    /**
     * One finished training episode.
     *
     * @param meanSigma  mean σ over the episode's updates (NaN during exploration)
     * @param meanBeta   mean β over the episode's updates (NaN during exploration)
     * @param advantage  mean temporal advantage over the episode's updates (NaN during exploration)
     */
    record EpisodeEvent(long episode, long step, double episodeReturn, int length, boolean terminated,
                        double meanSigma, double meanBeta, double advantage, boolean exploring) {
    }

    /** One evaluation: {@code returns} of every noise-free episode, their mean and standard deviation. */
    record EvaluationEvent(long step, double mean, double std, double[] returns) {
    }

    /** A swap at step {@code step}: {@code what} is "buffer" or "agent"; from/to name kinds or versions. */
    record SwapEvent(long step, String what, String from, String to) {
    }
}
