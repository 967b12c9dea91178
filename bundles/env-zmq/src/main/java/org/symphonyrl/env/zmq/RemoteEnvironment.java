package org.symphonyrl.env.zmq;

import java.util.HashMap;
import java.util.Map;
import org.symphonyrl.api.EmergencyStopException;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/**
 * An environment living in a bridge server. A lost server ends the episode in flight as truncated with
 * {@link StepResult#INFO_INTERRUPTED} and a reason saying the episode was lost; the next reset makes the
 * environment again on the restarted server. A robot's emergency stop ends the episode the same way, marked
 * {@link StepResult#INFO_EMERGENCY_STOP}, and resets throw {@link EmergencyStopException} until it is released.
 */
final class RemoteEnvironment implements Environment {

    private final Bridge bridge;
    private final String id;
    private final Map<String, Object> options;
    private final Runnable onClose;
    private EnvSpec spec;
    private int handle;
    private int generation;
    private boolean pausable;
    private float[] lastObservation;
    private boolean running;
    private boolean paused;
    private boolean closed;

    /**
     * Makes the environment on the server now, so a bad id or space fails here.
     *
     * @param onClose run once when this environment is closed (e.g. closing a connection of its own)
     * @throws IllegalArgumentException for an unknown id, unsupported spaces or bad options
     * @throws IllegalStateException    when the server is busy (a robot open elsewhere)
     */
    RemoteEnvironment(Bridge bridge, String id, Map<String, Object> options, Runnable onClose) {
        this.bridge = bridge;
        this.id = id;
        this.options = Map.copyOf(options == null ? Map.of() : options);
        this.onClose = onClose;
        try {
            make();
        } catch (BridgeException e) {
            switch (e.code()) {
                case Protocol.E_UNKNOWN_ENV_ID, Protocol.E_UNSUPPORTED_SPACE, Protocol.E_MAKE_FAILED,
                        Protocol.E_BAD_FIELD -> throw new IllegalArgumentException(e.getMessage(), e);
                case Protocol.E_BUSY -> throw new IllegalStateException(e.getMessage(), e);
                default -> throw e;
            }
        }
    }

    RemoteEnvironment(Bridge bridge, String id, Map<String, Object> options) {
        this(bridge, id, options, () -> { });
    }

    private void make() {
        generation = bridge.generation();
        Bridge.Made made = bridge.make(id, options);
        if (spec != null && !spec.equals(made.spec())) {
            throw new IllegalStateException(id + " came back from the restarted server with another spec: "
                    + made.spec() + " instead of " + spec);
        }
        handle = made.handle();
        spec = made.spec();
        pausable = made.pausable();
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    /** Whether the environment takes pauses (a robot adapter); only then does {@link #pause} cost a round trip. */
    boolean pausable() {
        return pausable;
    }

    @Override
    public float[] reset(long seed) {
        return start(seed);
    }

    @Override
    public float[] reset() {
        return start(null);
    }

    private float[] start(Long seed) {
        requireOpen();
        running = false;
        paused = false;
        RuntimeException firstFailure = null;
        for (int attempt = 0; attempt < 2; attempt++) { // a second try on a restarted server
            try {
                if (generation != bridge.generation()) {
                    make();
                }
                float[] observation = bridge.reset(handle, seed);
                lastObservation = observation;
                running = true;
                return observation.clone();
            } catch (BridgeLostException e) {
                firstFailure = e;
            } catch (BridgeException e) {
                if (e.code().equals(Protocol.E_STOPPED)) {
                    throw new EmergencyStopException(id + " cannot start an episode: its emergency stop is pressed; "
                            + "it must be released at the robot (" + e.detail() + ")", e);
                }
                if (!e.code().equals(Protocol.E_NO_SUCH_ENV)) {
                    throw e;
                }
                firstFailure = e;
                generation = -1; // the server forgot us (an external server restarted): make again
            }
        }
        throw new IllegalStateException(id + ": reset failed twice, the bridge is not usable: "
                + firstFailure.getMessage(), firstFailure);
    }

    @Override
    public StepResult step(float[] action) {
        requireOpen();
        spec.checkAction(action);
        if (!running) {
            throw new IllegalStateException(id + ": no episode running; call reset first (also after terminated or truncated)");
        }
        if (generation != bridge.generation()) { // another environment's request found the server dead
            return interrupted(lost(null), false);
        }
        paused = false;
        try {
            StepResult result = bridge.step(handle, action);
            lastObservation = result.observation();
            running = !result.done();
            return result;
        } catch (BridgeLostException e) {
            return interrupted(lost(e), false);
        } catch (BridgeException e) {
            switch (e.code()) {
                case Protocol.E_NO_SUCH_ENV:
                    generation = -1;
                    return interrupted("the bridge server no longer knows " + id + " (it was restarted); the "
                            + "episode in progress was lost: " + e.detail(), false);
                case Protocol.E_STOPPED: // a robot's emergency stop: the episode ends, what was collected stays
                    return interrupted(id + ": emergency stop pressed at the robot (" + e.detail() + ")", true);
                case Protocol.E_NOT_RESET:
                    running = false;
                    throw new IllegalStateException(e.getMessage(), e);
                case Protocol.E_ACTION_LENGTH, Protocol.E_ACTION_NOT_FINITE:
                    throw new IllegalArgumentException(e.getMessage(), e);
                default:
                    running = false;
                    throw e;
            }
        }
    }

    /** Why the episode was lost: the restart that replaced the server, else the failure itself. */
    private String lost(BridgeLostException failure) {
        String restart = generation != bridge.generation() ? bridge.lastRestart() : null;
        String cause = restart != null ? restart
                : failure != null ? "lost the bridge: " + failure.getMessage() : "the bridge server was lost";
        return cause + "; the episode in progress was lost";
    }

    /** Tells a robot that stepping pauses on purpose; nothing for a simulator, nor twice in a row. */
    @Override
    public void pause(String reason) {
        if (!pausable || !running || paused || closed || generation != bridge.generation()) {
            return;
        }
        try {
            bridge.pause(handle, reason);
            paused = true;
        } catch (BridgeLostException | BridgeException e) {
            // the next step reports what is wrong, as an interruption or an error of its own
        }
    }

    /** The episode ends here as truncated: the state is not terminal, we just cannot go on. */
    private StepResult interrupted(String reason, boolean emergencyStop) {
        running = false;
        Map<String, Object> info = new HashMap<>();
        info.put(StepResult.INFO_INTERRUPTED, Boolean.TRUE);
        info.put(StepResult.INFO_INTERRUPTED_REASON, reason);
        if (emergencyStop) {
            info.put(StepResult.INFO_EMERGENCY_STOP, Boolean.TRUE);
        }
        return new StepResult(lastObservation.clone(), 0.0, false, true, info);
    }

    boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(id + ": environment is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (generation == bridge.generation()) {
                bridge.close(handle);
            }
        } catch (RuntimeException ignored) {
            // the server is gone or closed: nothing is left to release there
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "RemoteEnvironment[" + id + " #" + handle + " on " + bridge.endpoint() + "]";
    }
}
