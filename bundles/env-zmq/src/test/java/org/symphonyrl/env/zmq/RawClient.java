package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A bare REQ socket for sending hand-made frames to a bridge server. Like {@link BridgeConnection} it keeps only a
 * socket whose first round trip (a hello) was answered: the first message on a fresh JeroMQ connection to the
 * Python server is sometimes held for about 30 s, and a REQ socket that waits for a reply cannot send again, so a
 * silent socket is replaced by a fresh one. With a key it authenticates, and {@link #session()} is its session.
 */
final class RawClient implements AutoCloseable {

    private final ZContext context = new ZContext(1);
    private ZMQ.Socket socket;
    private String session;

    RawClient(String endpoint, byte[] key) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String clientNonce = Handshake.newNonce();
        String hello = "{\"v\":\"" + Protocol.VERSION + "\",\"op\":\"hello\",\"nonce\":\"" + clientNonce + "\"}";
        for (int tryMs = 250; ; tryMs = Math.min(2 * tryMs, 4000)) {
            socket = context.createSocket(SocketType.REQ);
            socket.setLinger(0);
            socket.setReceiveTimeOut(tryMs);
            socket.connect(endpoint);
            socket.send(hello);
            byte[] reply = socket.recv();
            if (reply != null) {
                while (socket.hasReceiveMore()) {
                    socket.recv();
                }
                socket.setReceiveTimeOut(10_000);
                if (key != null) {
                    String serverNonce = parse(reply).get("nonce").getAsString();
                    session = request("{\"v\":\"" + Protocol.VERSION + "\",\"op\":\"auth\",\"nonce\":\"" + serverNonce
                            + "\",\"proof\":\"" + Handshake.clientProof(key, serverNonce, clientNonce) + "\"}")
                            .get("session").getAsString();
                }
                return;
            }
            context.destroySocket(socket);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bridge at " + endpoint + " did not answer a hello within 20 s");
            }
        }
    }

    String session() {
        return session;
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
        return parse(reply);
    }

    private static JsonObject parse(byte[] reply) {
        return JsonParser.parseString(new String(reply, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Override
    public void close() {
        context.close();
    }
}
