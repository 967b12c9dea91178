package org.symphonyrl.env.zmq;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loopback by default (docs/security.md): which endpoints stay on this machine. */
final class Endpoints {

    private static final Pattern TCP = Pattern.compile("tcp://(\\[[^]]+]|[^:/]+):(\\d+|\\*)");

    private Endpoints() {
    }

    /** Whether {@code endpoint} can only be reached from this machine: tcp on a loopback literal, ipc, inproc. */
    static boolean isLoopback(String endpoint) {
        if (endpoint.startsWith("ipc://") || endpoint.startsWith("inproc://")) {
            return true;
        }
        Matcher m = TCP.matcher(endpoint);
        if (!m.matches()) {
            return false;
        }
        String host = m.group(1);
        if (host.equals("localhost")) {
            return true;
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name or '*': do not resolve, treat as reachable from outside
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether {@code endpoint} is something a client can connect to: tcp://HOST:PORT (not '*'). Not ipc://: JeroMQ's
     * ipc transport is TCP on loopback underneath, so it cannot reach a libzmq (Python) ipc socket.
     */
    static boolean isWellFormed(String endpoint) {
        Matcher m = TCP.matcher(endpoint);
        if (!m.matches() || m.group(1).equals("*") || m.group(2).equals("*") || m.group(2).length() > 5) {
            return false;
        }
        int port = Integer.parseInt(m.group(2));
        return port > 0 && port < 65536;
    }

    /** ZeroMQ speaks IPv6 on a socket only when told to; an IPv6 literal such as tcp://[::1]:PORT needs it. */
    static void useIpv6IfNeeded(org.zeromq.ZMQ.Socket socket, String endpoint) {
        if (endpoint.startsWith("tcp://[")) {
            socket.setIPv6(true);
        }
    }

    /** Refuses an endpoint that is not loopback unless CURVE is configured for it. */
    static void requireLoopbackOrCurve(String endpoint, boolean curve, String what) {
        if (!curve && !isLoopback(endpoint)) {
            throw new IllegalArgumentException("refusing " + what + " " + endpoint
                    + ": it is not a loopback address and no CURVE key is configured"
                    + " (use tcp://127.0.0.1:PORT, or set symphony.bridge.curve.serverkey to the server's public key)");
        }
    }
}
