package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A client connection with the ZeroMQ guide's "Lazy Pirate" pattern: a REQ socket, a timeout on every
 * request, and after a timeout the socket is thrown away, a new one connected (with a new handshake) and
 * the request resent a few times. Resends carry the same {@code session}/{@code seq}, so the server answers
 * a request it already did from memory instead of doing it twice (PROTOCOL.md, "Retries").
 *
 * <p>Thread-safe: requests are serialised (a ZeroMQ socket belongs to one thread at a time).
 */
final class BridgeConnection implements AutoCloseable {

    /** How often a wait for a reply looks whether the server process is still alive. */
    private static final int SLICE_MS = 20;

    /** Time for the first handshake try on a fresh socket; it doubles with each further try. */
    private static final long FIRST_HANDSHAKE_TRY_MS = 250;

    private final ZContext context = new ZContext(1);
    private final String endpoint;
    private final int retries;
    private final BooleanSupplier serverAlive;
    private final CurveClientKeys curve;
    private final String session = UUID.randomUUID().toString();
    private long seq;
    private ZMQ.Socket socket;
    private JsonObject hello;

    /**
     * @param retries     how many times a request is resent after a timeout before giving up
     * @param serverAlive false as soon as the server is known dead (its process exited): stop waiting at once
     * @param curve       CURVE keys, or null for a plain (loopback only) connection
     */
    BridgeConnection(String endpoint, int retries, BooleanSupplier serverAlive, CurveClientKeys curve) {
        Endpoints.requireLoopbackOrCurve(endpoint, curve != null, "connecting to bridge");
        this.endpoint = endpoint;
        this.retries = retries;
        this.serverAlive = serverAlive;
        this.curve = curve;
    }

    String endpoint() {
        return endpoint;
    }

    /** The server's handshake reply (connects if needed). */
    synchronized JsonObject hello(Duration timeout) {
        call(Reply.header(Protocol.OP_PING), timeout); // makes sure a socket with a done handshake exists
        return hello;
    }

    /**
     * Sends one request and returns its reply.
     *
     * @throws BridgeException     for an error reply
     * @throws BridgeLostException when no reply came after all tries, or the server died meanwhile
     */
    synchronized Reply call(JsonObject header, Duration timeout, float[]... arrays) {
        header.addProperty("v", Protocol.VERSION);
        header.addProperty("session", session);
        header.addProperty("seq", ++seq);
        String op = header.get("op").getAsString();
        ZMsg request = new ZMsg();
        request.add(header.toString().getBytes(StandardCharsets.UTF_8));
        for (float[] array : arrays) {
            request.add(Float32Frames.encode(array));
        }
        try {
            for (int attempt = 0; attempt <= retries; attempt++) {
                ZMsg reply = exchange(request, timeout);
                if (reply != null) {
                    return Reply.parse(reply, op);
                }
                dropSocket(); // Lazy Pirate: a REQ socket that missed a reply is stuck; a fresh one is not
            }
        } finally {
            request.destroy();
        }
        throw new BridgeLostException("no reply from the bridge at " + endpoint + " to '" + op + "' after "
                + (retries + 1) + " tries of " + timeout.toMillis() + " ms");
    }

    /** The reply to {@code request} on a socket with a done handshake, or null on a timeout. */
    private ZMsg exchange(ZMsg request, Duration timeout) {
        if (socket == null && !handshake(timeout)) {
            return null;
        }
        request.duplicate().send(socket);
        return receive(timeout);
    }

    /**
     * Opens a socket and exchanges {@code hello} on it, within {@code timeout}. Each try gets a short time, then
     * a fresh socket: JeroMQ's first message on a new connection to a libzmq peer is now and then held until
     * libzmq drops the unfinished handshake (30 s later); a fresh connection almost always goes through at once.
     * Once a hello is answered, the connection is sound.
     */
    private boolean handshake(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long tryMs = FIRST_HANDSHAKE_TRY_MS;
        while (true) {
            socket = openSocket();
            JsonObject header = Reply.header(Protocol.OP_HELLO);
            header.addProperty("v", Protocol.VERSION);
            ZMsg hello = new ZMsg();
            hello.add(header.toString().getBytes(StandardCharsets.UTF_8));
            hello.send(socket);
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            ZMsg answer = receive(Duration.ofMillis(Math.max(1, Math.min(tryMs, leftMs))));
            if (answer != null) {
                checkHello(Reply.parse(answer, Protocol.OP_HELLO).header());
                return true;
            }
            dropSocket();
            if (System.nanoTime() >= deadline) {
                return false;
            }
            tryMs = Math.min(2 * tryMs, 4000);
        }
    }

    private void checkHello(JsonObject reply) {
        String version = reply.has("v") ? reply.get("v").getAsString() : null;
        if (!Protocol.compatible(version)) {
            dropSocket();
            throw new BridgeException(Protocol.E_VERSION, "the bridge at " + endpoint + " speaks protocol "
                    + version + ", this runtime speaks " + Protocol.VERSION
                    + " (major versions must match); update the older side");
        }
        hello = reply;
    }

    private ZMsg receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ZMsg reply = ZMsg.recvMsg(socket, true);
            if (reply != null) {
                return reply;
            }
            if (!serverAlive.getAsBoolean()) {
                dropSocket();
                throw new BridgeLostException("the bridge server at " + endpoint + " died");
            }
        }
        return null;
    }

    private ZMQ.Socket openSocket() {
        ZMQ.Socket s = context.createSocket(SocketType.REQ);
        s.setLinger(0);
        s.setReceiveTimeOut(SLICE_MS);
        if (curve != null) {
            curve.applyTo(s);
        }
        s.connect(endpoint);
        return s;
    }

    private void dropSocket() {
        if (socket != null) {
            context.destroySocket(socket);
            socket = null;
        }
    }

    @Override
    public synchronized void close() {
        dropSocket();
        context.close();
    }

    /** A reply: its JSON header and its float32 arrays. */
    record Reply(JsonObject header, float[][] arrays) {

        static JsonObject header(String op) {
            JsonObject header = new JsonObject();
            header.addProperty("op", op);
            return header;
        }

        static Reply parse(ZMsg message, String op) {
            try {
                byte[] first = message.pop().getData();
                if (first.length > Protocol.MAX_HEADER_BYTES) {
                    throw new BridgeException(Protocol.E_MALFORMED, "reply header to '" + op + "' has "
                            + first.length + " bytes");
                }
                JsonObject header = JsonParser.parseString(new String(first, StandardCharsets.UTF_8)).getAsJsonObject();
                if (!header.has("ok") || !header.get("ok").getAsBoolean()) {
                    JsonObject error = header.has("error") ? header.getAsJsonObject("error") : new JsonObject();
                    throw new BridgeException(error.has("code") ? error.get("code").getAsString() : "?",
                            error.has("message") ? error.get("message").getAsString() : header.toString());
                }
                float[][] arrays = new float[message.size()][];
                for (int i = 0; i < arrays.length; i++) {
                    arrays[i] = Float32Frames.decode(message.pop().getData(), op + " reply array " + i);
                }
                return new Reply(header, arrays);
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
                throw new BridgeException(Protocol.E_MALFORMED, "unreadable reply header to '" + op + "': " + e);
            } finally {
                message.destroy();
            }
        }
    }
}
