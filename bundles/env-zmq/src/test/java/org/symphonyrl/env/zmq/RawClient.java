package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A bare REQ socket for sending hand-made frames to a bridge server. */
final class RawClient implements AutoCloseable {

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket = context.createSocket(SocketType.REQ);

    RawClient(String endpoint) {
        socket.setLinger(0);
        socket.setReceiveTimeOut(10_000);
        socket.connect(endpoint);
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
