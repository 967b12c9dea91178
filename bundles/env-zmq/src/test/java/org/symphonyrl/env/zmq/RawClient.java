package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A bare REQ socket for sending hand-made frames to a bridge server. Like {@link BridgeConnection} it
 * keeps only a socket whose first round trip (a ping) was answered: the first message on a fresh
 * JeroMQ connection to the Python server is sometimes held for about 30 s, and a REQ socket that
 * waits for a reply cannot send again, so a silent socket is replaced by a fresh one.
 */
final class RawClient implements AutoCloseable {

    private static final String PING = "{\"v\":\"" + Protocol.VERSION + "\",\"op\":\"ping\"}";

    private final ZContext context = new ZContext(1);
    private ZMQ.Socket socket;

    RawClient(String endpoint) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int tryMs = 250; ; tryMs = Math.min(2 * tryMs, 4000)) {
            socket = context.createSocket(SocketType.REQ);
            socket.setLinger(0);
            socket.setReceiveTimeOut(tryMs);
            socket.connect(endpoint);
            socket.send(PING);
            if (socket.recv() != null) {
                while (socket.hasReceiveMore()) {
                    socket.recv();
                }
                socket.setReceiveTimeOut(10_000);
                return;
            }
            context.destroySocket(socket);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bridge at " + endpoint + " did not answer a ping within 20 s");
            }
        }
    }

    JsonObject request(String header, byte[]... arrays) {
        return request(header.getBytes(StandardCharsets.UTF_8), arrays);
    }

    JsonObject request(byte[] header, byte[]... arrays) {
        socket.send(header, arrays.length > 0 ? ZMQ.SNDMORE : 0);
        for (int i = 0; i < arrays.length; i++) {
            socket.send(arrays[i], i < arrays.length - 1 ? ZMQ.SNDMORE : 0);
        }
        byte[] reply = socket.recv();
        if (reply == null) {
            throw new AssertionError("no reply within 10 s");
        }
        while (socket.hasReceiveMore()) {
            socket.recv();
        }
        return JsonParser.parseString(new String(reply, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Override
    public void close() {
        context.close();
    }
}
