package org.symphonyrl.env.embedded;

import java.util.Locale;
import java.util.Map;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/**
 * What every embedded environment shares, as Gymnasium's {@code gym.make} stack provides it: the random
 * generator {@code np_random} (numpy's PCG64, reseeded by {@code reset(seed)}, continued by {@code reset()}),
 * the order checks ({@code OrderEnforcing}: no step before reset), the action check, and the time limit
 * ({@code TimeLimit}: truncated once {@code maxEpisodeSteps} steps have run). Unlike Gymnasium, stepping an
 * episode that already ended is an error: a loop that forgets to reset would otherwise run on unnoticed.
 */
abstract class EmbeddedEnvironment implements Environment {

    /** The dynamics' answer to one step, before the time limit is applied. */
    record Outcome(float[] observation, double reward, boolean terminated) {
    }

    private enum Phase { NOT_STARTED, RUNNING, ENDED, CLOSED }

    private final EnvSpec spec;
    private Pcg64 random; // created lazily, like Gymnasium's np_random
    private Phase phase = Phase.NOT_STARTED;
    private int elapsedSteps;

    EmbeddedEnvironment(EnvSpec spec) {
        this.spec = spec;
    }

    /** Draws the initial state from {@code random} and returns the first observation. */
    abstract float[] startEpisode(Pcg64 random);

    /** Applies a checked action (a private copy; values may lie outside the bounds) to the state. */
    abstract Outcome advance(float[] action);

    @Override
    public final EnvSpec spec() {
        return spec;
    }

    /**
     * {@inheritDoc} The seed is read as an unsigned 64-bit integer: a negative long means {@code seed + 2^64}
     * (Gymnasium rejects negative seeds; {@code reset(-1)} here equals {@code reset(seed=2**64 - 1)} there).
     */
    @Override
    public final float[] reset(long seed) {
        checkOpen("reset");
        random = Pcg64.seeded(seed);
        return begin();
    }

    @Override
    public final float[] reset() {
        checkOpen("reset");
        if (random == null) {
            random = Pcg64.fromEntropy();
        }
        return begin();
    }

    @Override
    public final StepResult step(float[] action) {
        checkOpen("step");
        switch (phase) {
            case NOT_STARTED -> throw new IllegalStateException(spec.id() + ": step before reset; call reset first");
            case ENDED -> throw new IllegalStateException(spec.id() + ": the episode ended after step " + elapsedSteps
                    + " (terminated or truncated); call reset to start a new one");
            default -> { }
        }
        spec.checkAction(action);
        Outcome outcome = advance(action.clone());
        elapsedSteps++;
        boolean truncated = spec.maxEpisodeSteps() > 0 && elapsedSteps >= spec.maxEpisodeSteps();
        if (outcome.terminated() || truncated) {
            phase = Phase.ENDED;
        }
        return new StepResult(outcome.observation(), outcome.reward(), outcome.terminated(), truncated, Map.of());
    }

    @Override
    public final void close() {
        phase = Phase.CLOSED;
    }

    /** Throws unless an episode is running; for subclasses' test hooks that change the state. */
    final void checkRunning(String what) {
        checkOpen(what);
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException(spec.id() + ": " + what + " needs a running episode; call reset first");
        }
    }

    private float[] begin() {
        elapsedSteps = 0;
        float[] observation = startEpisode(random);
        phase = Phase.RUNNING;
        return observation;
    }

    private void checkOpen(String what) {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException(spec.id() + ": " + what + " after close; make a new environment");
        }
    }

    @Override
    public String toString() {
        return spec.id() + " (embedded, " + phase.name().toLowerCase(Locale.ROOT) + ")";
    }
}
