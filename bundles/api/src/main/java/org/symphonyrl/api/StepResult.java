package org.symphonyrl.api;

import java.util.Map;

/**
 * The answer to {@link Environment#step}, with Gymnasium's semantics.
 *
 * @param observation the next observation
 * @param reward      the reward of this step
 * @param terminated  the MDP reached a terminal state (a fall): no bootstrapping past it
 * @param truncated   the episode was cut from outside (time limit, a lost connection); the state is not terminal
 * @param info        extra information from the environment; never null
 */
public record StepResult(float[] observation, double reward, boolean terminated, boolean truncated,
                         Map<String, Object> info) {

    /**
     * Info key set to {@code Boolean.TRUE} when the environment lost its backing process or connection
     * during this step; the episode then ends as truncated and the caller should reset.
     */
    public static final String INFO_INTERRUPTED = "symphony.interrupted";

    /** Info key: why the step was interrupted (a String for logs), set together with {@link #INFO_INTERRUPTED}. */
    public static final String INFO_INTERRUPTED_REASON = "symphony.interrupted.reason";

    /**
     * Info key set to {@code Boolean.TRUE} (together with {@link #INFO_INTERRUPTED}) when the episode was cut
     * because the environment's emergency stop was pressed: resets throw {@link EmergencyStopException}
     * until it is released at the robot.
     *
     * @since 1.1
     */
    public static final String INFO_EMERGENCY_STOP = "symphony.emergency_stop";

    public StepResult {
        info = info == null ? Map.of() : Map.copyOf(info);
    }

    /** Whether the episode is over for either reason. */
    public boolean done() {
        return terminated || truncated;
    }

    /** Whether this step ended because the environment's backing process or connection was lost. */
    public boolean interrupted() {
        return Boolean.TRUE.equals(info.get(INFO_INTERRUPTED));
    }

    /** Whether this step ended because the environment's emergency stop was pressed. */
    public boolean emergencyStop() {
        return Boolean.TRUE.equals(info.get(INFO_EMERGENCY_STOP));
    }

    /** The reason of an interruption, or null. */
    public String interruptionReason() {
        Object reason = info.get(INFO_INTERRUPTED_REASON);
        return reason == null ? null : reason.toString();
    }
}
