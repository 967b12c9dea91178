package org.symphonyrl.env.zmq;

/** No reply came: the server died, hung, or the network failed. The request may or may not have been done. */
public class BridgeLostException extends RuntimeException {

    public BridgeLostException(String message) {
        super(message);
    }
}
