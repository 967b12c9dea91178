package org.symphonyrl.env.zmq;

import java.util.Map;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/**
 * An environment living in a bridge server. A lost server ends the episode in flight as truncated with
 * {@link StepResult#INFO_INTERRUPTED}; the next reset makes the environment again on the restarted server.
 */
final class RemoteEnvironment implements Environment {

    /** Info key with the reason of an interruption (a String). */
    static final String INFO_INTERRUPTED_REASON = StepResult.INFO_INTERRUPTED_REASON;

    private final Bridge bridge;
    private final String id;
    private final Map<String, Object> options;
    private EnvSpec spec;
    private int handle;
    private int generation;
    private float[] lastObservation;
    private boolean running;
    private boolean closed;

    /**
     * Makes the environment on the server now, so a bad id or space fails here.
     *
     * @throws IllegalArgumentException for an unknown id, unsupported spaces or bad options
     */
    RemoteEnvironment(Bridge bridge, String id, Map<String, Object> options) {
        this.bridge = bridge;
        this.id = id;
        this.options = Map.copyOf(options == null ? Map.of() : options);
        try {
            make();
        } catch (BridgeException e) {
            switch (e.code()) {
                case Protocol.E_UNKNOWN_ENV_ID, Protocol.E_UNSUPPORTED_SPACE, Protocol.E_MAKE_FAILED,
                        Protocol.E_BAD_FIELD -> throw new IllegalArgumentException(e.getMessage(), e);
                default -> throw e;
            }
        }
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
    }

    @Override
    public EnvSpec spec() {
        return spec;
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
                    throw new IllegalStateException(id + " cannot start an episode: " + e.getMessage(), e);
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
        try {
            StepResult result = bridge.step(handle, action);
            lastObservation = result.observation();
            running = !result.done();
            return result;
        } catch (BridgeLostException e) {
            return interrupted(e.getMessage());
        } catch (BridgeException e) {
            switch (e.code()) {
                case Protocol.E_NO_SUCH_ENV:
                    generation = -1;
                    return interrupted(e.getMessage());
                case Protocol.E_STOPPED: // a robot's emergency stop: the episode ends, what was collected stays
                    return interrupted(e.getMessage());
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

    /** The episode ends here as truncated: the state is not terminal, we just cannot go on. */
    private StepResult interrupted(String reason) {
        running = false;
        return new StepResult(lastObservation.clone(), 0.0, false, true,
                Map.of(StepResult.INFO_INTERRUPTED, Boolean.TRUE, INFO_INTERRUPTED_REASON, reason));
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
        if (generation == bridge.generation()) {
            try {
                bridge.close(handle);
            } catch (RuntimeException ignored) {
                // the server is gone or closed: nothing is left to release there
            }
        }
    }

    @Override
    public String toString() {
        return "RemoteEnvironment[" + id + " #" + handle + " on " + bridge.endpoint() + "]";
    }
}
