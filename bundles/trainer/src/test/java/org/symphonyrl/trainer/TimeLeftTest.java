package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The time left comes from the learning phase's speed, on a fake clock. */
class TimeLeftTest {

    /** A clock that moves only when told. */
    static final class FakeClock {
        long nanos = 1_000_000_000L;

        void advance(double seconds) {
            nanos += Math.round(seconds * 1e9);
        }
    }

    @Test
    void theTimeLeftIsTheRemainingStepsAtTheLearningPhasesSpeed() {
        FakeClock clock = new FakeClock();
        TimeLeft time = new TimeLeft(0, 2000, () -> clock.nanos);
        assertEquals(Optional.empty(), time.left(), "nothing is known before the first step");
        // 1,000 exploration steps at 1 ms each
        for (long step = 1; step <= 1000; step++) {
            clock.advance(0.001);
            time.onStep(step, true);
            assertEquals(Optional.empty(), time.left(), "no estimate while exploring (step " + step + ")");
        }
        assertEquals(1000, time.stepsPerSecond(), 1e-9, "the exploration phase's speed");
        // learning steps at 100 ms each: unknown until 10 steps over at least 5 s are behind
        for (long step = 1001; step <= 1049; step++) {
            clock.advance(0.1);
            time.onStep(step, false);
            assertEquals(Optional.empty(), time.left(), "still estimating after " + (step - 1000) + " learning steps");
        }
        clock.advance(0.1);
        time.onStep(1050, false); // 50 learning steps in 5.0 s
        assertEquals(Optional.of(Duration.ofSeconds(95)), time.left(), "950 steps left at 10 steps/s");
        for (long step = 1051; step <= 1100; step++) {
            clock.advance(0.1);
            time.onStep(step, false);
        }
        assertEquals(10, time.stepsPerSecond(), 1e-9, "the learning phase's speed");
        // 900 steps left at 10 steps/s; the run's overall average (1,100 steps in 11 s) would say 9 s
        assertEquals(Optional.of(Duration.ofSeconds(90)), time.left());
        assertEquals(Duration.ofSeconds(11), time.elapsed());
    }

    @Test
    void evaluationsBetweenStepsCountInTheLearningSpeed() {
        FakeClock clock = new FakeClock();
        TimeLeft time = new TimeLeft(0, 1000, () -> clock.nanos);
        clock.advance(0.5);
        time.onStep(1, true);
        for (long step = 2; step <= 100; step++) {
            clock.advance(step == 51 ? 9.9 + 0.1 : 0.1); // an evaluation of 9.9 s before step 51
            time.onStep(step, false);
        }
        // 99 learning steps took 9.9 s of steps and 9.9 s of evaluation: 0.2 s a step, 900 steps left
        assertEquals(Optional.of(Duration.ofSeconds(180)), time.left());
    }

    @Test
    void aRunResumedInTheLearningPhaseMeasuresFromTheResume() {
        FakeClock clock = new FakeClock();
        TimeLeft time = new TimeLeft(50_000, 60_000, () -> clock.nanos);
        for (long step = 50_001; step <= 50_020; step++) {
            clock.advance(0.5);
            time.onStep(step, false);
        }
        assertEquals(2, time.stepsPerSecond(), 1e-9);
        assertEquals(Optional.of(Duration.ofSeconds(9_980 / 2)), time.left());
    }

    @Test
    void aFinishedRunHasNothingLeftAndAnAllExplorationRunNeverGuesses() {
        FakeClock clock = new FakeClock();
        TimeLeft time = new TimeLeft(0, 100, () -> clock.nanos);
        for (long step = 1; step <= 99; step++) {
            clock.advance(1);
            time.onStep(step, true);
            assertTrue(time.left().isEmpty());
        }
        clock.advance(1);
        time.onStep(100, true);
        assertEquals(Optional.of(Duration.ZERO), time.left());
    }
}
