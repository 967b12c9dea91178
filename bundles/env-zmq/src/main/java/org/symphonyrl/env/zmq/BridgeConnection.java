package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A client connection with the ZeroMQ guide's "Lazy Pirate" pattern: a REQ socket, a timeout on every
 * request, and after a timeout the socket is thrown away, a new one connected (with a new handshake) and
 * the request resent a few times. Every new socket authenticates (PROTOCOL.md, "Authentication": the server
 * proves it holds the key, then we do) and resumes the session the server gave us, so resends carry the same
 * {@code session}/{@code seq} and the server answers a request it already did from memory instead of doing it
 * twice (PROTOCOL.md, "Retries").
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
    private final Supplier<String> serverGone;
    private final CurveClientKeys curve;
    private final byte[] key;
    private String session;
    private long seq;
    private ZMQ.Socket socket;
    private JsonObject server;

    /**
     * @param retries     how many times a request is resent after a timeout before giving up
     * @param serverGone  null while the server may be alive; why it is gone as soon as that is known (its process
     *                    exited, the adapter withdrew): stop waiting at once
     * @param curve       CURVE keys, or null for a plain (loopback only) connection
     * @param key         the key K the server and this client prove to each other
     */
    BridgeConnection(String endpoint, int retries, Supplier<String> serverGone, CurveClientKeys curve, byte[] key) {
        Endpoints.requireLoopbackOrCurve(endpoint, curve != null, "connecting to bridge");
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("a bridge connection needs a key of at least 16 bytes");
        }
        this.endpoint = endpoint;
        this.retries = retries;
        this.serverGone = serverGone;
        this.curve = curve;
        this.key = key.clone();
    }

    String endpoint() {
        return endpoint;
    }

    /** The server's answer to our authentication: its pid, version, served ids (connects if needed). */
    synchronized JsonObject hello(Duration timeout) {
        call(Reply.header(Protocol.OP_PING), timeout); // makes sure an authenticated socket exists
        return server;
    }

    /**
     * Sends one request and returns its reply.
     *
     * @throws BridgeException     for an error reply
     * @throws BridgeLostException when no reply came after all tries, or the server died meanwhile
     */
    synchronized Reply call(JsonObject header, Duration timeout, float[]... arrays) {
        header.addProperty("v", Protocol.VERSION);
        header.addProperty("seq", ++seq);
        String op = header.get("op").getAsString();
        try {
            for (int attempt = 0; attempt <= retries; attempt++) {
                ZMsg reply = exchange(header, arrays, timeout);
                if (reply != null) {
                    return Reply.parse(reply, op);
                }
                dropSocket(); // Lazy Pirate: a REQ socket that missed a reply is stuck; a fresh one is not
            }
        } finally {
            header.remove("session");
        }
        throw new BridgeLostException("no reply from the bridge at " + endpoint + " to '" + op + "' after "
                + (retries + 1) + " tries of " + timeout.toMillis() + " ms");
    }

    /** The reply to a request on an authenticated socket, or null on a timeout. */
    private ZMsg exchange(JsonObject header, float[][] arrays, Duration timeout) {
        if (socket == null && !handshake(timeout)) {
            return null;
        }
        header.addProperty("session", session); // the session the handshake gave (or resumed)
        ZMsg request = new ZMsg();
        request.add(header.toString().getBytes(StandardCharsets.UTF_8));
        for (float[] array : arrays) {
            request.add(Float32Frames.encode(array));
        }
        request.send(socket);
        return receive(timeout);
    }

    /**
     * Opens a socket and authenticates on it (hello, auth), within {@code timeout}. Each try gets a short time,
     * then a fresh socket: JeroMQ's first message on a new connection to a libzmq peer is now and then held until
     * libzmq drops the unfinished handshake (30 s later); a fresh connection almost always goes through at once.
     * Once a hello is answered, the connection is sound.
     */
    private boolean handshake(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long tryMs = FIRST_HANDSHAKE_TRY_MS;
        while (true) {
            socket = openSocket();
            String clientNonce = Handshake.newNonce();
            JsonObject hello = Reply.header(Protocol.OP_HELLO);
            hello.addProperty("v", Protocol.VERSION);
            hello.addProperty("nonce", clientNonce);
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            ZMsg answer = send(hello, Duration.ofMillis(Math.max(1, Math.min(tryMs, leftMs))));
            if (answer != null && authenticate(Reply.parse(answer, Protocol.OP_HELLO).header(), clientNonce, deadline)) {
                return true;
            }
            dropSocket();
            if (System.nanoTime() >= deadline) {
                return false;
            }
            tryMs = Math.min(2 * tryMs, 4000);
        }
    }

    /**
     * Checks the server's proof and answers with ours; true once the server gave a session. False when the
     * server forgot our challenge (a flood of other hellos, or it expired): the caller tries again.
     */
    private boolean authenticate(JsonObject hello, String clientNonce, long deadline) {
        checkVersion(hello);
        String serverNonce = text(hello, "nonce");
        if (serverNonce == null || !Handshake.same(Handshake.serverProof(key, clientNonce, serverNonce), text(hello, "proof"))) {
            dropSocket();
            throw new BridgeException(Protocol.E_UNAUTHORIZED, "the bridge at " + endpoint + " cannot prove it holds "
                    + "the key: it is not the server this runtime trusts (another process may have taken its port, "
                    + "or it was started with another key)");
        }
        JsonObject auth = Reply.header(Protocol.OP_AUTH);
        auth.addProperty("v", Protocol.VERSION);
        auth.addProperty("nonce", serverNonce);
        auth.addProperty("proof", Handshake.clientProof(key, serverNonce, clientNonce));
        if (session != null) {
            auth.addProperty("resume", session);
        }
        ZMsg answer = send(auth, Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        if (answer == null) {
            return false;
        }
        try {
            server = Reply.parse(answer, Protocol.OP_AUTH).header();
        } catch (BridgeException e) {
            if (e.code().equals(Protocol.E_UNAUTHORIZED)) {
                return false; // the server proved it holds our key, so our proof is right: the challenge was dropped
            }
            throw e;
        }
        session = text(server, "session");
        if (session == null) {
            throw new BridgeException(Protocol.E_MALFORMED, "the bridge at " + endpoint + " gave no session");
        }
        return true;
    }

    private ZMsg send(JsonObject header, Duration timeout) {
        ZMsg message = new ZMsg();
        message.add(header.toString().getBytes(StandardCharsets.UTF_8));
        message.send(socket);
        return receive(timeout);
    }

    private void checkVersion(JsonObject reply) {
        String version = text(reply, "v");
        if (!Protocol.compatible(version)) {
            dropSocket();
            throw new BridgeException(Protocol.E_VERSION, "the bridge at " + endpoint + " speaks protocol "
                    + version + ", this runtime speaks " + Protocol.VERSION
                    + " (major versions must match); update the older side");
        }
    }

    private static String text(JsonObject header, String field) {
        return header.has(field) && header.get(field).isJsonPrimitive() ? header.get(field).getAsString() : null;
    }

    private ZMsg receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ZMsg reply = ZMsg.recvMsg(socket, true);
            if (reply != null) {
                return reply;
            }
            String gone = serverGone.get();
            if (gone != null) {
                dropSocket();
                throw new BridgeLostException(gone);
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
        Endpoints.useIpv6IfNeeded(s, endpoint);
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
