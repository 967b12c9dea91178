package org.symphonyrl.trainer;

/**
 * Why a training episode ended before the environment ended it ({@code episodes.csv}'s {@code cut} column):
 * its return is not an ordinary return and is drawn apart in returns.png.
 */
enum EpisodeCut {
    /** The environment ended it (terminated, or truncated at its own or the trainer's limit). */
    NONE(""),
    /** The run reached its target step in the middle of it. */
    END_OF_RUN("end"),
    /** The run was stopped (Ctrl-C, SIGTERM) in the middle of it. */
    STOPPED("stop"),
    /** The environment lost its process or connection ({@code StepResult.interrupted()}). */
    INTERRUPTED("interrupted"),
    /** The environment's emergency stop was pressed ({@code StepResult.emergencyStop()}). */
    EMERGENCY_STOP("emergency_stop"),
    /** The environment returned a non-finite observation or reward, or an observation of the wrong length. */
    BAD_VALUE("bad_value");

    /** The word in episodes.csv. */
    final String word;

    EpisodeCut(String word) {
        this.word = word;
    }
}
