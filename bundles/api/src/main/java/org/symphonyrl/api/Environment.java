package org.symphonyrl.api;

/**
 * One environment instance, with Gymnasium's {@code Env} semantics: {@code reset} starts an
 * episode, {@code step} advances it and reports {@code terminated} and {@code truncated} separately.
 * An instance is used by one thread at a time.
 */
public interface Environment extends AutoCloseable {

    /** The spaces and episode limit of this environment. */
    EnvSpec spec();

    /**
     * Starts an episode with the environment's random generator reseeded, as Gymnasium's
     * {@code reset(seed=seed)}: the same seed gives the same first observation.
     *
     * @throws EmergencyStopException while the environment's emergency stop is pressed (robots)
     */
    float[] reset(long seed);

    /**
     * Starts an episode continuing the environment's random generator, as {@code reset(seed=None)}.
     *
     * @throws EmergencyStopException while the environment's emergency stop is pressed (robots)
     */
    float[] reset();

    /**
     * Applies {@code action} (length {@link EnvSpec#actionSize()}, finite values).
     *
     * @throws IllegalArgumentException for a wrong length or a NaN or infinite value
     * @throws IllegalStateException    if no episode is running (call reset first)
     */
    StepResult step(float[] action);

    /**
     * The caller stops stepping for a while on purpose: learning updates between two steps, a switch to
     * evaluation, a checkpoint, a hot swap. An environment backed by hardware holds its safe state and
     * suspends its watchdog without counting the pause as a fault; the next {@code step} or {@code reset}
     * ends the pause. Simulators ignore it (the default). Must be cheap: the trainer may call it after
     * every step.
     *
     * @param reason a short word for logs: {@code update}, {@code evaluation}, {@code checkpoint}, {@code swap}
     * @since 1.1
     */
    default void pause(String reason) {
    }

    /** Releases the environment. Further calls fail. */
    @Override
    void close();
}
