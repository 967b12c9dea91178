package org.symphonyrl.api;

/**
 * Thrown by {@link Environment#reset(long)} and {@link Environment#reset()} while the environment's
 * emergency stop is pressed. Only the robot's side can release it; the caller waits and tries again.
 *
 * @since 1.1
 */
public class EmergencyStopException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EmergencyStopException(String message) {
        super(message);
    }

    public EmergencyStopException(String message, Throwable cause) {
        super(message, cause);
    }
}
