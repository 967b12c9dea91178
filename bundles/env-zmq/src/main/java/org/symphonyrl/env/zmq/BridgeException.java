package org.symphonyrl.env.zmq;

/** The bridge refused a request: an error reply, with its code from PROTOCOL.md ("Errors"). */
public class BridgeException extends RuntimeException {

    private final String code;
    private final String detail;

    public BridgeException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
        this.detail = message;
    }

    /** The message without the code. */
    public String detail() {
        return detail;
    }

    /** The error code, e.g. {@code unknown_env_id}. */
    public String code() {
        return code;
    }
}
