package org.symphonyrl.trainer;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Speed and time left of a run, by phase. Exploration steps only act and store transitions; learning steps also
 * do G updates each and are many times slower, so the average over the whole run would promise far too early an
 * end. The time left is the remaining steps at the learning phase's own speed, measured from its first step on,
 * and is known once {@value #MIN_STEPS} learning steps over at least {@value #MIN_SECONDS} s are behind; until
 * then (the whole exploration included) it is unknown. Evaluations and checkpoints fall between two steps, so
 * the learning phase's speed includes them.
 */
final class TimeLeft {

    static final long MIN_STEPS = 10;
    static final long MIN_SECONDS = 5;

    private final long totalSteps;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long lastStep;
    private long lastNanos;
    private boolean learning;
    /** Where the current phase's speed is measured from: a step count and the time it was reached. */
    private long phaseStep;
    private long phaseNanos;

    /**
     * @param startStep the run's step count when this process took it up (0, or a resumed checkpoint's)
     * @param nanoTime  a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     */
    TimeLeft(long startStep, long totalSteps, LongSupplier nanoTime) {
        this.totalSteps = totalSteps;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastStep = startStep;
        this.lastNanos = startNanos;
        this.phaseStep = startStep;
        this.phaseNanos = startNanos;
    }

    /** After every step; {@code exploring} says whether that step was an exploration step (no updates). */
    synchronized void onStep(long step, boolean exploring) {
        long now = nanoTime.getAsLong();
        if (!exploring && !learning) { // the learning phase begins where the last step before it ended
            learning = true;
            phaseStep = lastStep;
            phaseNanos = lastNanos;
        }
        lastStep = step;
        lastNanos = now;
    }

    /** Steps per second in the current phase (exploration or learning); NaN before its first step. */
    synchronized double stepsPerSecond() {
        long steps = lastStep - phaseStep;
        long nanos = lastNanos - phaseNanos;
        return steps == 0 || nanos <= 0 ? Double.NaN : steps * 1e9 / nanos;
    }

    /** The time the remaining steps take at the learning phase's speed; empty while that speed is not known yet. */
    synchronized Optional<Duration> left() {
        if (lastStep >= totalSteps) {
            return Optional.of(Duration.ZERO);
        }
        if (!learning || lastStep - phaseStep < MIN_STEPS || lastNanos - phaseNanos < MIN_SECONDS * 1_000_000_000L) {
            return Optional.empty();
        }
        double nanosPerStep = (double) (lastNanos - phaseNanos) / (lastStep - phaseStep);
        return Optional.of(Duration.ofNanos(Math.round((totalSteps - lastStep) * nanosPerStep)));
    }

    /** Time since this process took the run up. */
    synchronized Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
    }

    /** The step count after the last step. */
    synchronized long step() {
        return lastStep;
    }

    long totalSteps() {
        return totalSteps;
    }
}
