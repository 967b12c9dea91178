package org.symphonyrl.env.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/** The api's Environment contract, through the factory as the trainer uses it. */
class EnvironmentContractTest {

    private final EmbeddedEnvironmentFactory factory = new EmbeddedEnvironmentFactory();

    private Environment pendulum() {
        return factory.create("Pendulum-v1", Map.of());
    }

    private static String message(Throwable t) {
        return t.getMessage();
    }

    @Test
    void stepBeforeResetIsAnOrderError() {
        Environment env = pendulum();
        String m = message(assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f})));
        assertTrue(m.contains("Pendulum-v1") && m.contains("before reset"), m);
    }

    @Test
    void badActionsAreRejectedNamingTheProblem() {
        Environment env = pendulum();
        env.reset(1);
        assertTrue(message(assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0f, 1f})))
                .contains("length 2, expected 1"));
        assertTrue(message(assertThrows(IllegalArgumentException.class, () -> env.step(new float[0])))
                .contains("length 0, expected 1"));
        assertTrue(message(assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN})))
                .contains("action[0] is NaN"));
        assertTrue(message(assertThrows(IllegalArgumentException.class,
                () -> env.step(new float[] {Float.POSITIVE_INFINITY}))).contains("Infinity"));
        assertTrue(message(assertThrows(IllegalArgumentException.class, () -> env.step(null))).contains("null"));
        env.step(new float[] {0f}); // a rejected action leaves the episode running
    }

    @Test
    void episodesTruncateAtTwoHundredStepsAndNeverTerminate() {
        Environment env = pendulum();
        env.reset(3);
        for (int t = 1; t <= 200; t++) {
            StepResult r = env.step(new float[] {(t % 7) - 3f});
            assertFalse(r.terminated(), "step " + t);
            assertEquals(t == 200, r.truncated(), "step " + t);
        }
        String m = message(assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f})));
        assertTrue(m.contains("ended after step 200") && m.contains("reset"), m);
        env.reset();
        assertFalse(env.step(new float[] {0f}).truncated()); // the count starts again
    }

    @Test
    void resetWithASeedRepeatsAndResetWithoutOneContinues() {
        Environment env = pendulum();
        float[] first = env.reset(42);
        float[] second = env.reset();
        assertFalse(Arrays.equals(first, second));
        assertArrayEquals(first, env.reset(42));
        assertArrayEquals(second, env.reset());
        assertArrayEquals(first, pendulum().reset(42)); // and across instances
    }

    @Test
    void unseededEnvironmentsDrawFreshEntropy() {
        assertNotEquals(Arrays.toString(pendulum().reset()), Arrays.toString(pendulum().reset()));
    }

    @Test
    void theCallersActionArrayIsNeitherKeptNorChanged() {
        Environment env = pendulum();
        env.reset(5);
        float[] action = {7f};
        env.step(action);
        assertArrayEquals(new float[] {7f}, action);
    }

    @Test
    void closedEnvironmentsRefuseEverything() {
        Environment env = pendulum();
        env.reset(0);
        env.close();
        env.close(); // closing twice is harmless
        assertTrue(message(assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f})))
                .contains("after close"));
        assertThrows(IllegalStateException.class, () -> env.reset(0));
        assertThrows(IllegalStateException.class, env::reset);
        assertEquals("Pendulum-v1", env.spec().id()); // the spec stays readable
    }

    @Test
    void setStateNeedsARunningEpisode() {
        Pendulum env = Pendulum.make(Map.of());
        assertThrows(IllegalStateException.class, () -> env.setState(0, 0));
    }

    @Test
    void factoryServesPendulumAndNamesWhatItServes() {
        assertEquals(java.util.List.of("Pendulum-v1"), factory.ids());
        assertTrue(factory.supports("Pendulum-v1"));
        assertFalse(factory.supports("Pendulum-v0"));
        assertFalse(factory.supports(null));
        assertEquals(200, factory.create("Pendulum-v1", null).spec().maxEpisodeSteps());
        String m = message(assertThrows(IllegalArgumentException.class, () -> factory.create("CartPole-v1", Map.of())));
        assertTrue(m.contains("'CartPole-v1'") && m.contains("[Pendulum-v1]"), m);
    }

    @Test
    void optionsOtherThanGravityAreRejected() {
        String m = message(assertThrows(IllegalArgumentException.class,
                () -> factory.create("Pendulum-v1", Map.of("gravity", 9.81))));
        assertTrue(m.contains("unknown option 'gravity'") && m.contains("'g'"), m);
        m = message(assertThrows(IllegalArgumentException.class,
                () -> factory.create("Pendulum-v1", Map.of("g", "9.81"))));
        assertTrue(m.contains("must be a finite number") && m.contains("String 9.81"), m);
        assertThrows(IllegalArgumentException.class, () -> factory.create("Pendulum-v1", Map.of("g", Double.NaN)));
    }
}
