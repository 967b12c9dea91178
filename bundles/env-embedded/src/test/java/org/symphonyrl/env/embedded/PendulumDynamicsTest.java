package org.symphonyrl.env.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.StepResult;

/** Single steps and the initial-state distribution, against numbers worked out by hand. */
class PendulumDynamicsTest {

    private static Pendulum at(double theta, double thetaDot, Map<String, Object> options) {
        Pendulum env = Pendulum.make(options);
        env.reset(0);
        env.setState(theta, thetaDot);
        return env;
    }

    @Test
    void specIsGymnasiumsBoxes() {
        EnvSpec spec = Pendulum.make(Map.of()).spec();
        assertEquals("Pendulum-v1", spec.id());
        assertArrayEquals(new float[] {-1f, -1f, -8f}, spec.observationLow());
        assertArrayEquals(new float[] {1f, 1f, 8f}, spec.observationHigh());
        assertArrayEquals(new float[] {-2f}, spec.actionLow());
        assertArrayEquals(new float[] {2f}, spec.actionHigh());
        assertEquals(200, spec.maxEpisodeSteps());
    }

    @Test
    void angleIsNormalisedIntoMinusPiToPi() {
        assertEquals(0.0, Pendulum.angleNormalize(0.0));
        assertEquals(-Math.PI, Pendulum.angleNormalize(Math.PI)); // Python: (2 pi) % (2 pi) = 0
        assertEquals(-Math.PI, Pendulum.angleNormalize(-Math.PI));
        assertEquals(-Math.PI / 2, Pendulum.angleNormalize(1.5 * Math.PI), 1e-15);
        assertEquals(Math.PI / 2, Pendulum.angleNormalize(-1.5 * Math.PI), 1e-15); // floored, not C's fmod
        assertEquals(7.5 - 2 * Math.PI, Pendulum.angleNormalize(7.5), 1e-15);
        assertEquals(-9.0 + 2 * Math.PI, Pendulum.angleNormalize(-9.0), 1e-15);
    }

    @Test
    void fullTorqueFromUprightRestCostsTheFloat32TorqueTerm() {
        StepResult r = at(0.0, 0.0, Map.of()).step(new float[] {2f});
        // cost = 0.001 * u^2 in float32: float(0.001) * 4 = 0.004000000189989805, not 0.004
        assertEquals(-0.004000000189989805, r.reward(), 0.0);
        // theta_dot' = (15 sin 0 + 3 * 2) * 0.05 = 0.3; theta' = 0.3 * 0.05 = 0.015
        assertArrayEquals(new float[] {0.99988750f, 0.01499944f, 0.3f}, r.observation(), 1e-7f);
        assertFalse(r.terminated());
        assertFalse(r.truncated());
    }

    @Test
    void torqueIsClippedToTwoBeforeItCostsOrActs() {
        StepResult clipped = at(1.0, -0.5, Map.of()).step(new float[] {5f});
        StepResult bound = at(1.0, -0.5, Map.of()).step(new float[] {2f});
        assertEquals(bound.reward(), clipped.reward(), 0.0);
        assertArrayEquals(bound.observation(), clipped.observation(), 0f);
        StepResult negative = at(1.0, -0.5, Map.of()).step(new float[] {-100f});
        assertArrayEquals(at(1.0, -0.5, Map.of()).step(new float[] {-2f}).observation(), negative.observation(), 0f);
    }

    @Test
    void speedIsClippedBeforeTheAngleMoves() {
        Pendulum env = at(0.0, 7.9, Map.of());
        StepResult r = env.step(new float[] {2f});
        // 7.9 + 6 * 0.05 = 8.2 is clipped to 8 and the angle moves by 8 * 0.05 = 0.4
        assertEquals(8f, r.observation()[2]);
        assertArrayEquals(new double[] {0.4, 8.0}, env.state(), 1e-15);
        // cost of the state before the step: 0 + 0.1 * 7.9^2 + float32(0.001 * 4)
        assertEquals(-(0.1 * 7.9 * 7.9 + 0.004000000189989805), r.reward(), 1e-15);
    }

    @Test
    void hangingDownCostsPiSquared() {
        StepResult r = at(Math.PI, 0.0, Map.of()).step(new float[] {0f});
        assertEquals(-Math.PI * Math.PI, r.reward(), 1e-15);
        assertEquals(-1f, r.observation()[0]);
    }

    @Test
    void gravityOptionScalesTheFall() {
        Pendulum env = at(Math.PI / 2, 0.0, Map.of("g", 9.81));
        assertEquals(9.81, env.gravity());
        env.step(new float[] {0f});
        // theta_dot' = 3 * 9.81 / 2 * sin(pi/2) * 0.05 = 0.73575
        assertEquals(0.73575, env.state()[1], 1e-15);
        assertEquals(Pendulum.DEFAULT_GRAVITY, Pendulum.make(Map.of()).gravity());
        assertEquals(1.62, Pendulum.make(Map.of("g", 1.62f)).gravity(), 1e-7); // any Number is accepted
    }

    @Test
    void initialStatesAreUniformOnPiByOne() {
        // Kolmogorov-Smirnov against U(-pi, pi) and U(-1, 1) over a seeded stream of resets (deterministic).
        int n = 4000;
        double[] theta = new double[n];
        double[] thetaDot = new double[n];
        Pendulum env = Pendulum.make(Map.of());
        env.reset(20261125L);
        for (int i = 0; i < n; i++) {
            float[] observation = env.reset();
            double[] state = env.state();
            theta[i] = state[0];
            thetaDot[i] = state[1];
            assertEquals((float) Math.cos(state[0]), observation[0]);
            assertEquals((float) state[1], observation[2]);
        }
        double critical = 1.63 / Math.sqrt(n); // alpha = 0.01
        assertTrue(ksDistanceToUniform(theta, -Math.PI, Math.PI) < critical, "theta is not U(-pi, pi)");
        assertTrue(ksDistanceToUniform(thetaDot, -1, 1) < critical, "theta_dot is not U(-1, 1)");
    }

    private static double ksDistanceToUniform(double[] sample, double low, double high) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[0] >= low && sorted[sorted.length - 1] < high, "draw outside [" + low + ", " + high + ")");
        double distance = 0;
        for (int i = 0; i < sorted.length; i++) {
            double cdf = (sorted[i] - low) / (high - low);
            distance = Math.max(distance, Math.max(cdf - (double) i / sorted.length, (i + 1.0) / sorted.length - cdf));
        }
        return distance;
    }
}
