package org.symphonyrl.runtime;

/** A feature could not be started; the message says which bundle and what it lacks. */
public final class StartFailure extends Exception {

    public StartFailure(String message) {
        super(message);
    }

    public StartFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
