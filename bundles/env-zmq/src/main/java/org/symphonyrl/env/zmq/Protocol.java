package org.symphonyrl.env.zmq;

import java.util.regex.Pattern;

/**
 * The constants of bridge-python/PROTOCOL.md (version 2.0), mirrored from symphony_bridge/protocol.py.
 */
final class Protocol {

    /** Protocol version this side speaks; a peer with another major version is refused. */
    static final String VERSION = "2.0";

    /** First line the Python server prints on stdout, followed by its endpoint. */
    static final String READY = "SYMPHONY_BRIDGE_READY";

    static final String OP_HELLO = "hello";
    static final String OP_AUTH = "auth";
    static final String OP_PING = "ping";
    static final String OP_MAKE = "make";
    static final String OP_RESET = "reset";
    static final String OP_STEP = "step";
    static final String OP_PAUSE = "pause";
    static final String OP_CLOSE = "close";

    static final String E_VERSION = "version_mismatch";
    static final String E_MALFORMED = "malformed_message";
    static final String E_TOO_LARGE = "too_large";
    static final String E_UNKNOWN_OP = "unknown_op";
    static final String E_BAD_FIELD = "bad_field";
    static final String E_UNKNOWN_ENV_ID = "unknown_env_id";
    static final String E_UNSUPPORTED_SPACE = "unsupported_space";
    static final String E_MAKE_FAILED = "make_failed";
    static final String E_NO_SUCH_ENV = "no_such_env";
    static final String E_TOO_MANY_ENVS = "too_many_envs";
    static final String E_ACTION_LENGTH = "action_length";
    static final String E_ACTION_NOT_FINITE = "action_not_finite";
    static final String E_NOT_RESET = "not_reset";
    static final String E_ENV_FAILED = "env_failed";
    static final String E_STOPPED = "emergency_stop";
    static final String E_UNAUTHORIZED = "unauthorized";
    static final String E_BUSY = "busy";

    /**
     * An environment id: optional {@code module:} prefix (imported by Gymnasium, so only when allowed), optional
     * {@code namespace/}, a name, {@code -vN}; ASCII only (no NUL, no surrogate, no path).
     */
    static final Pattern ENV_ID_PATTERN = Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*:)?"
            + "(?:[A-Za-z0-9_][A-Za-z0-9_-]*/)?[A-Za-z0-9_][A-Za-z0-9_.-]*-v[0-9]+");

    /** A robot adapter's id: a plain {@code Name-vN} (it names the registry file {@code adapters/<id>.json}). */
    static final Pattern ADAPTER_ID_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*-v[0-9]+");

    /** Largest header frame either side accepts. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private Protocol() {
    }

    static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    static boolean compatible(String version) {
        return version != null && major(version).equals(major(VERSION));
    }
}
