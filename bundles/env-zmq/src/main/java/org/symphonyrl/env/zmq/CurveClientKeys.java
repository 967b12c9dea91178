package org.symphonyrl.env.zmq;

import org.zeromq.ZMQ;

/**
 * CURVE for a client: the server's public key (Z85, from {@code python -m symphony_bridge keygen}) and a
 * key pair of our own, generated per connection unless given.
 */
record CurveClientKeys(String serverPublicKey, ZMQ.Curve.KeyPair own) {

    CurveClientKeys {
        if (serverPublicKey == null || serverPublicKey.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            throw new IllegalArgumentException("a CURVE server key must be " + ZMQ.Curve.KEY_SIZE_Z85
                    + " Z85 characters, got " + (serverPublicKey == null ? "none" : serverPublicKey.length()));
        }
        requireCurveCryptography();
        if (own == null) {
            own = ZMQ.Curve.generateKeyPair();
        }
    }

    /**
     * JeroMQ's CURVE needs jnacl, an optional dependency; without it a CURVE connection fails inside JeroMQ's
     * I/O thread and looks like a silent server. Say so up front instead.
     */
    static void requireCurveCryptography() {
        try {
            Class.forName("com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305", false, ZMQ.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("CURVE encryption needs the jnacl library (eu.neilalexander:jnacl 1.0.0) "
                    + "where JeroMQ can load it; in the runtime, add its bundle to the feature next to jeromq");
        }
    }

    static CurveClientKeys forServer(String serverPublicKey) {
        return serverPublicKey == null || serverPublicKey.isBlank() ? null
                : new CurveClientKeys(serverPublicKey.trim(), null);
    }

    void applyTo(ZMQ.Socket socket) {
        socket.setCurveServerKey(ZMQ.Curve.z85Decode(serverPublicKey));
        socket.setCurvePublicKey(ZMQ.Curve.z85Decode(own.publicKey));
        socket.setCurveSecretKey(ZMQ.Curve.z85Decode(own.secretKey));
    }
}
