package org.symphonyrl.env.embedded;

import java.util.Map;
import org.symphonyrl.api.EnvSpec;

/**
 * Gymnasium's {@code Pendulum-v1} (classic_control/pendulum.py), number for number: the same constants, the
 * same order of clipping, the same float32 steps where numpy computes in float32 (the clipped torque is a
 * float32 scalar, so {@code 3.0 * u} and {@code 0.001 * u**2} round to float32), float64 for the state, and the
 * observation cast to float32 at the end. Never terminates; the 200-step limit truncates.
 *
 * <p>{@code Math.sin}/{@code cos} rather than {@code StrictMath}: on x86-64 they agree with numpy's libm to the
 * last bit over the golden trajectories, where fdlibm's differ by one ulp now and then.
 */
final class Pendulum extends EmbeddedEnvironment {

    static final String ID = "Pendulum-v1";
    static final int MAX_EPISODE_STEPS = 200;
    static final double DEFAULT_GRAVITY = 10.0;

    private static final float MAX_SPEED = 8f;
    private static final float MAX_TORQUE = 2f;
    private static final double DT = 0.05;
    private static final double MASS = 1.0;
    private static final double LENGTH = 1.0;
    /** Initial state: theta uniform in [-pi, pi], theta_dot in [-1, 1] (DEFAULT_X, DEFAULT_Y). */
    private static final double INITIAL_THETA = Math.PI;
    private static final double INITIAL_THETA_DOT = 1.0;

    private static final String GRAVITY_OPTION = "g";

    private final double g;
    private double theta;
    private double thetaDot;

    Pendulum(double g) {
        super(new EnvSpec(ID, new float[] {-1f, -1f, -MAX_SPEED}, new float[] {1f, 1f, MAX_SPEED},
                new float[] {-MAX_TORQUE}, new float[] {MAX_TORQUE}, MAX_EPISODE_STEPS));
        this.g = g;
    }

    /** {@code gym.make("Pendulum-v1", **options)}: the only option is the gravity {@code g}. */
    static Pendulum make(Map<String, Object> options) {
        double g = DEFAULT_GRAVITY;
        for (Map.Entry<String, Object> option : options.entrySet()) {
            if (!GRAVITY_OPTION.equals(option.getKey())) {
                throw new IllegalArgumentException(ID + ": unknown option '" + option.getKey()
                        + "'; the only option is 'g' (gravity in m/s^2, default 10.0)");
            }
            if (!(option.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(ID + ": option 'g' must be a finite number (gravity in m/s^2), got "
                        + describe(option.getValue()));
            }
            g = n.doubleValue();
        }
        return new Pendulum(g);
    }

    @Override
    float[] startEpisode(Pcg64 random) {
        // np_random.uniform(low=-high, high=high) with high = [pi, 1]: theta is drawn first.
        theta = random.uniform(-INITIAL_THETA, INITIAL_THETA);
        thetaDot = random.uniform(-INITIAL_THETA_DOT, INITIAL_THETA_DOT);
        return observation();
    }

    @Override
    Outcome advance(float[] action) {
        float u = Math.min(Math.max(action[0], -MAX_TORQUE), MAX_TORQUE);
        double normalized = angleNormalize(theta);
        double costs = normalized * normalized + 0.1 * (thetaDot * thetaDot) + (double) (0.001f * (u * u));

        double newThetaDot = thetaDot + (3 * g / (2 * LENGTH) * Math.sin(theta)
                + (float) (3.0 / (MASS * LENGTH * LENGTH)) * u) * DT;
        newThetaDot = Math.min(Math.max(newThetaDot, -MAX_SPEED), MAX_SPEED);
        theta = theta + newThetaDot * DT;
        thetaDot = newThetaDot;
        return new Outcome(observation(), -costs, false);
    }

    /** {@code env.unwrapped.state = [theta, theta_dot]}: sets the state of the running episode (for tests). */
    void setState(double theta, double thetaDot) {
        checkRunning("setState");
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    /** The state {@code [theta, theta_dot]} in float64, as {@code env.unwrapped.state}. */
    double[] state() {
        return new double[] {theta, thetaDot};
    }

    double gravity() {
        return g;
    }

    private float[] observation() {
        return new float[] {(float) Math.cos(theta), (float) Math.sin(theta), (float) thetaDot};
    }

    /** {@code ((x + pi) % (2 pi)) - pi} with Python's floored modulo (the result takes the divisor's sign). */
    static double angleNormalize(double x) {
        double period = 2 * Math.PI;
        double remainder = (x + Math.PI) % period;
        if (remainder < 0) {
            remainder += period;
        }
        return remainder - Math.PI;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
