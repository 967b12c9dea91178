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
     */
    float[] reset(long seed);

    /** Starts an episode continuing the environment's random generator, as {@code reset(seed=None)}. */
    float[] reset();

    /**
     * Applies {@code action} (length {@link EnvSpec#actionSize()}, finite values).
     *
     * @throws IllegalArgumentException for a wrong length or a NaN or infinite value
     * @throws IllegalStateException    if no episode is running (call reset first)
     */
    StepResult step(float[] action);

    /** Releases the environment. Further calls fail. */
    @Override
    void close();
}
