package org.symphonyrl.env.zmq;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Map;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.StepResult;

/**
 * One bridge server and the connection to it. When the server is ours (started from the venv) and it dies or
 * stops answering, it is killed and started again, and {@link #generation()} grows: environments made on
 * an older generation are gone and must be made again. A server given by endpoint cannot be restarted
 * from here; its loss is reported and the connection retried on the next request.
 */
final class Bridge implements AutoCloseable {

    private static final Gson GSON = new Gson();
    private static final Type INFO = new TypeToken<Map<String, Object>>() { }.getType();

    private final BridgeSettings settings;
    private PythonBridgeProcess process;
    private BridgeConnection connection;
    private int generation;
    private boolean closed;
    private String closedReason = "the bridge is closed";

    private Bridge(BridgeSettings settings) {
        this.settings = settings;
    }

    /** Connects to the configured endpoint, or starts a server; either way the handshake is done. */
    static Bridge open(BridgeSettings settings) {
        Bridge bridge = new Bridge(settings);
        bridge.connect();
        return bridge;
    }

    private void connect() {
        if (settings.endpoint() != null) {
            connection = new BridgeConnection(settings.endpoint(), settings.retries(), () -> true,
                    CurveClientKeys.forServer(settings.curveServerKey()));
        } else {
            PythonBridgeProcess started = PythonBridgeProcess.start(settings.python(), settings.makeTimeout());
            process = started;
            connection = new BridgeConnection(started.endpoint(), settings.retries(), started::isAlive, null);
        }
        try {
            connection.hello(settings.makeTimeout());
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Grows by one each time the server was restarted; environments remember the one they were made on. */
    synchronized int generation() {
        return generation;
    }

    /** The server's process id from its handshake. */
    synchronized long serverPid() {
        return connection.hello(settings.requestTimeout()).get("pid").getAsLong();
    }

    /** Whether the server is a process of ours (started from the venv), not one given by endpoint. */
    synchronized boolean ownsServer() {
        return process != null;
    }

    synchronized String endpoint() {
        return connection.endpoint();
    }

    /** A made environment: its handle on the server and its spec. */
    record Made(int handle, EnvSpec spec) {
    }

    synchronized Made make(String id, Map<String, Object> options) {
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_MAKE);
        header.addProperty("id", id);
        header.add("kwargs", GSON.toJsonTree(options == null ? Map.of() : options));
        BridgeConnection.Reply reply = call(header, settings.makeTimeout());
        JsonObject spec = reply.header().getAsJsonObject("spec");
        float[][] a = reply.arrays();
        if (a.length != 4) {
            throw new BridgeException(Protocol.E_MALFORMED, "make reply has " + a.length + " arrays, expected 4");
        }
        return new Made(reply.header().get("env").getAsInt(),
                new EnvSpec(id, a[0], a[1], a[2], a[3], spec.get("max_episode_steps").getAsInt()));
    }

    /** Gymnasium's reset(seed=seed); null continues the generator. A negative seed travels as its unsigned value. */
    synchronized float[] reset(int handle, Long seed) {
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_RESET);
        header.addProperty("env", handle);
        header.add("seed", seed == null ? JsonNull.INSTANCE
                : new JsonPrimitive(new BigInteger(Long.toUnsignedString(seed))));
        return call(header, settings.requestTimeout()).arrays()[0];
    }

    synchronized StepResult step(int handle, float[] action) {
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_STEP);
        header.addProperty("env", handle);
        BridgeConnection.Reply reply = call(header, settings.requestTimeout(), action);
        JsonObject h = reply.header();
        JsonElement info = h.get("info");
        Map<String, Object> infoMap = info == null || !info.isJsonObject() ? Map.of() : GSON.fromJson(info, INFO);
        infoMap.values().removeIf(v -> v == null); // Map.copyOf in StepResult refuses nulls (JSON null = non-finite)
        return new StepResult(reply.arrays()[0], h.get("reward").getAsDouble(), h.get("terminated").getAsBoolean(),
                h.get("truncated").getAsBoolean(), infoMap);
    }

    /** An empty round trip (the transport's share of a step's cost). */
    synchronized void ping() {
        call(BridgeConnection.Reply.header(Protocol.OP_PING), settings.requestTimeout());
    }

    synchronized void close(int handle) {
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_CLOSE);
        header.addProperty("env", handle);
        call(header, settings.requestTimeout());
    }

    private BridgeConnection.Reply call(JsonObject header, java.time.Duration timeout, float[]... arrays) {
        if (closed) {
            throw new IllegalStateException(closedReason);
        }
        try {
            return connection.call(header, timeout, arrays);
        } catch (BridgeLostException lost) {
            restartIfOurs(lost);
            throw lost;
        }
    }

    /** Kills our server (dead or hung) and starts a new one; its environments must be made again. */
    private void restartIfOurs(BridgeLostException cause) {
        if (process == null) {
            return;
        }
        String exit = process.describeExit();
        process.kill();
        connection.close();
        generation++;
        try {
            connect();
        } catch (RuntimeException e) {
            closed = true;
            closedReason = "the bridge server was lost (" + exit + ") and could not be restarted: " + e.getMessage();
            BridgeLostException failed = new BridgeLostException(closedReason);
            failed.addSuppressed(cause);
            failed.addSuppressed(e);
            throw failed;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            connection.close();
        }
        if (process != null) {
            process.close();
        }
    }
}
