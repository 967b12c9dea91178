package org.symphonyrl.trainer;

import org.symphonyrl.api.TrainingListener;

/**
 * What the run's own listeners (its logs and console) hear beyond the api's events: why an episode was cut
 * short, and lines for the console. {@link TrainingListener} services receive the api events only.
 */
interface RunListener extends TrainingListener {

    /**
     * A training episode ended.
     *
     * @param cut       why it was cut short, {@link EpisodeCut#NONE} if the environment ended it
     * @param nonFinite how many non-finite numbers the step that cut it returned (0 unless {@code BAD_VALUE})
     */
    default void onEpisodeEnd(EpisodeEvent event, EpisodeCut cut, int nonFinite) {
        onEpisode(event);
    }

    /** A line for the console (an interruption, a dropped value). */
    default void onNotice(String line) {
    }

    /** {@code listener} as a RunListener: api events only. */
    static RunListener of(TrainingListener listener) {
        return listener instanceof RunListener r ? r : new RunListener() {
            @Override
            public void onStep(StepEvent e) {
                listener.onStep(e);
            }

            @Override
            public void onEpisode(EpisodeEvent e) {
                listener.onEpisode(e);
            }

            @Override
            public void onEvaluation(EvaluationEvent e) {
                listener.onEvaluation(e);
            }

            @Override
            public void onSwap(SwapEvent e) {
                listener.onSwap(e);
            }
        };
    }
}
