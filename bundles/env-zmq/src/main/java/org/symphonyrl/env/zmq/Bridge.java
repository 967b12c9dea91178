package org.symphonyrl.env.zmq;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.StepResult;

/**
 * One bridge server and the connection to it. When the server is ours (started from the venv, with a fresh key)
 * and it dies or stops answering, it is killed and started again, and {@link #generation()} grows: environments
 * made on an older generation are gone and must be made again. A server given by endpoint (it proves the
 * per-user key) cannot be restarted from here; its loss is reported and the connection retried on the next
 * request.
 */
final class Bridge implements AutoCloseable {

    /** create() option: comma-separated Python modules a {@code module:Name-vN} id may import. */
    static final String OPTION_ALLOW_MODULES = "symphony.allow.modules";
    /** create() option: comma-separated keyword arguments that may reach {@code gymnasium.make}. */
    static final String OPTION_ALLOW_KWARGS = "symphony.allow.kwargs";

    private static final Gson GSON = new Gson();
    private static final Type INFO = new TypeToken<Map<String, Object>>() { }.getType();

    private final BridgeSettings settings;
    private final Path runDirectory;
    private PythonBridgeProcess process;
    private BridgeConnection connection;
    private int generation;
    private String lastRestart;
    private boolean closed;
    private String closedReason = "the bridge is closed";
    private volatile String abandoned; // why the server is gone for good, or null

    private Bridge(BridgeSettings settings, Path runDirectory) {
        this.settings = settings;
        this.runDirectory = runDirectory;
    }

    /** Connects to the configured endpoint, or starts a server; either way the handshake is done. */
    static Bridge open(BridgeSettings settings) {
        return open(settings, null);
    }

    /**
     * Like {@link #open(BridgeSettings)}; a server we start runs in {@code runDirectory} and logs to its
     * {@code logs/} (null: the per-user directory).
     */
    static Bridge open(BridgeSettings settings, Path runDirectory) {
        Bridge bridge = new Bridge(settings, runDirectory);
        bridge.connect();
        return bridge;
    }

    private void connect() {
        if (settings.endpoint() != null) {
            connection = new BridgeConnection(settings.endpoint(), settings.retries(), () -> abandoned,
                    CurveClientKeys.forServer(settings.curveServerKey()), settings.userDirectory().secret());
        } else {
            byte[] key = Handshake.newKey(); // per spawn: this server answers this runtime only
            PythonBridgeProcess started = PythonBridgeProcess.start(settings.python(), settings.makeTimeout(), key,
                    BridgeLogs.of(runDirectory, settings.userDirectory()));
            process = started;
            connection = new BridgeConnection(started.endpoint(), settings.retries(), () -> started.isAlive() ? null
                    : "the bridge server at " + started.endpoint() + " died (" + started.describeExit() + ")", null, key);
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

    /** "the bridge server was restarted after ..." for the last restart (the episodes it took with it), or null. */
    synchronized String lastRestart() {
        return lastRestart;
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

    /** The log file of our server, or null for a server given by endpoint. */
    synchronized Path serverLog() {
        return process == null ? null : process.log();
    }

    /** A made environment: its handle on the server, its spec, and whether it takes pauses (a robot). */
    record Made(int handle, EnvSpec spec, boolean pausable) {
    }

    /**
     * Makes {@code id}. Options whose key starts with {@code symphony.} are for us, not for {@code gymnasium.make}:
     * {@value #OPTION_ALLOW_MODULES} and {@value #OPTION_ALLOW_KWARGS} extend the allow-lists of the settings.
     */
    synchronized Made make(String id, Map<String, Object> options) {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!k.startsWith("symphony.")) {
                kwargs.put(k, v);
            }
        });
        JsonObject allow = new JsonObject();
        allow.add("modules", names(settings.allowModules(), options.get(OPTION_ALLOW_MODULES)));
        allow.add("kwargs", names(settings.allowKwargs(), options.get(OPTION_ALLOW_KWARGS)));
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_MAKE);
        header.addProperty("id", id);
        header.add("kwargs", GSON.toJsonTree(kwargs));
        header.add("allow", allow);
        BridgeConnection.Reply reply = call(header, settings.makeTimeout());
        JsonObject spec = reply.header().getAsJsonObject("spec");
        float[][] a = reply.arrays();
        if (a.length != 4) {
            throw new BridgeException(Protocol.E_MALFORMED, "make reply has " + a.length + " arrays, expected 4");
        }
        JsonElement pausable = reply.header().get("pausable");
        return new Made(reply.header().get("env").getAsInt(),
                new EnvSpec(id, a[0], a[1], a[2], a[3], spec.get("max_episode_steps").getAsInt()),
                pausable != null && pausable.isJsonPrimitive() && pausable.getAsBoolean());
    }

    private static JsonArray names(List<String> configured, Object fromOptions) {
        Set<String> all = new LinkedHashSet<>(configured);
        all.addAll(BridgeSettings.names(fromOptions));
        JsonArray array = new JsonArray();
        all.forEach(array::add);
        return array;
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
        return new StepResult(reply.arrays()[0], reward(h), h.get("terminated").getAsBoolean(),
                h.get("truncated").getAsBoolean(), infoMap);
    }

    /** The reward; JSON has no NaN or infinity, so those travel as null plus their name (PROTOCOL.md, "step"). */
    static double reward(JsonObject stepReply) {
        JsonElement reward = stepReply.get("reward");
        if (reward != null && !reward.isJsonNull()) {
            return reward.getAsDouble();
        }
        JsonElement name = stepReply.get("reward_nonfinite");
        switch (name == null || name.isJsonNull() ? "" : name.getAsString()) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                throw new BridgeException(Protocol.E_MALFORMED, "step reply has no reward: " + stepReply);
        }
    }

    /** Tells a pausable environment (a robot) that stepping stops for a while on purpose. */
    synchronized void pause(int handle, String reason) {
        JsonObject header = BridgeConnection.Reply.header(Protocol.OP_PAUSE);
        header.addProperty("env", handle);
        header.addProperty("reason", reason == null ? "" : reason);
        call(header, settings.requestTimeout());
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

    /**
     * The server is gone for good (a robot adapter withdrew): every further request fails as a lost bridge with
     * {@code reason}, so an episode in flight ends as truncated and interrupted.
     */
    void abandon(String reason) {
        abandoned = reason; // first, without the lock: a request in flight gives up within 20 ms
        close();
    }

    private BridgeConnection.Reply call(JsonObject header, java.time.Duration timeout, float[]... arrays) {
        if (abandoned != null) {
            throw new BridgeLostException(abandoned);
        }
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
        Path log = process.log();
        process.kill();
        connection.close();
        generation++;
        try {
            connect();
            lastRestart = "the bridge server was restarted after: " + cause.getMessage() + " (the old server: " + exit
                    + ", its log " + log + ")";
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

    /** The run directory a create() was given ({@link EnvironmentFactory#OPTION_RUN_DIRECTORY}), or null. */
    static Path runDirectory(Map<String, Object> options) {
        Object dir = options == null ? null : options.get(EnvironmentFactory.OPTION_RUN_DIRECTORY);
        return dir == null || dir.toString().isBlank() ? null : Path.of(dir.toString()).toAbsolutePath();
    }
}
