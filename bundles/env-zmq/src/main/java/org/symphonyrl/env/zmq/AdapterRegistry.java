package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.symphonyrl.api.Environment;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The endpoint where robot adapters announce themselves (PROTOCOL.md, "Adapter registry"). Each announced
 * adapter becomes an {@link Environment} service with the properties {@value #ENV_ID},
 * {@value #ENV_ENDPOINT} and {@value #ENV_SOURCE}={@code adapter}; it is unregistered when the adapter
 * withdraws or stops announcing for longer than the time to live.
 *
 * <p>Configured by {@code symphony.bridge.registry} (default {@code tcp://127.0.0.1:5599}, loopback only;
 * {@code off} disables it) and {@code symphony.bridge.registry.ttl.ms} (default 3000). An adapter on a
 * non-loopback endpoint must send its CURVE public key ({@code curve_key}) with its announce.
 */
@Component(immediate = true, service = {})
public final class AdapterRegistry {

    public static final String REGISTRY = "symphony.bridge.registry";
    public static final String TTL_MS = "symphony.bridge.registry.ttl.ms";
    public static final String DEFAULT_ENDPOINT = "tcp://127.0.0.1:5599";

    /** Environment service property: the adapter's environment id. */
    public static final String ENV_ID = "symphony.env.id";
    /** Environment service property: the adapter's endpoint. */
    public static final String ENV_ENDPOINT = "symphony.env.endpoint";
    /** Environment service property: where the environment comes from ({@code adapter}). */
    public static final String ENV_SOURCE = "symphony.env.source";

    private final Map<String, Adapter> adapters = new LinkedHashMap<>();
    private final java.util.Set<String> unusable = new java.util.HashSet<>();
    private BundleContext context;
    private ZContext zmq;
    private ZMQ.Socket socket;
    private Thread loop;
    private volatile boolean running;
    private String endpoint;
    private Duration ttl;

    /** One announced adapter and what it became in the framework. */
    private record Adapter(String id, String endpoint, Bridge bridge, RemoteEnvironment environment,
                           ServiceRegistration<Environment> registration, long[] lastSeen) {
    }

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String configured = property(REGISTRY);
        endpoint = configured == null ? DEFAULT_ENDPOINT : configured;
        if (endpoint.equalsIgnoreCase("off")) {
            return;
        }
        String ttlMs = property(TTL_MS);
        try {
            ttl = Duration.ofMillis(ttlMs == null ? 3000 : Long.parseLong(ttlMs));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TTL_MS + " must be a whole number of milliseconds, got '" + ttlMs + "'");
        }
        Endpoints.requireLoopbackOrCurve(endpoint, false, "binding the adapter registry on"); // registry: loopback only
        zmq = new ZContext(1);
        socket = zmq.createSocket(SocketType.ROUTER);
        socket.setLinger(0);
        socket.setMaxMsgSize(Protocol.MAX_HEADER_BYTES * 2);
        socket.setReceiveTimeOut(100);
        try {
            socket.bind(endpoint);
        } catch (RuntimeException e) {
            System.err.println("symphony: robot adapter registry not started, cannot bind " + endpoint + " ("
                    + e.getMessage() + "); set " + REGISTRY + " to a free endpoint or 'off'");
            zmq.close();
            zmq = null;
            return;
        }
        endpoint = socket.getLastEndpoint();
        running = true;
        loop = new Thread(this::serve, "symphony-adapter-registry");
        loop.setDaemon(true);
        loop.start();
    }

    /** The bound endpoint (with the real port when 0 was asked), or null when the registry is off. */
    public String endpoint() {
        return running ? endpoint : null;
    }

    private String property(String key) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private void serve() {
        while (running) {
            ZMsg message = ZMsg.recvMsg(socket, true);
            if (message != null) {
                answer(message);
            }
            expire();
        }
    }

    private void answer(ZMsg message) {
        ZMsg reply = new ZMsg();
        reply.add(message.pop());                           // the peer's identity
        if (message.size() > 1 && message.peekFirst().size() == 0) {
            reply.add(message.pop());                       // REQ's empty delimiter
        }
        Runnable after = null;
        JsonObject answer = new JsonObject();
        answer.addProperty("v", Protocol.VERSION);
        try {
            after = handle(message);
            answer.addProperty("ok", true);
            answer.addProperty("ttl_ms", ttl.toMillis());
        } catch (BridgeException e) {
            answer.addProperty("ok", false);
            JsonObject error = new JsonObject();
            error.addProperty("code", e.code());
            error.addProperty("message", e.detail());
            answer.add("error", error);
        } finally {
            message.destroy();
        }
        reply.add(answer.toString().getBytes(StandardCharsets.UTF_8));
        reply.send(socket);
        if (after != null) {
            after.run(); // connecting to the adapter can take a moment: the adapter has its reply already
        }
    }

    /** Checks one request and returns the work to do once it is answered. */
    private Runnable handle(ZMsg message) {
        if (message.size() != 1) {
            throw new BridgeException(Protocol.E_MALFORMED, "expected one header frame, got " + message.size());
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(message.pop().getData(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new BridgeException(Protocol.E_MALFORMED, "header is not a JSON object: " + e.getMessage());
        }
        String version = text(header, "v");
        if (!Protocol.compatible(version)) {
            throw new BridgeException(Protocol.E_VERSION, "adapter speaks protocol " + version
                    + ", this runtime speaks " + Protocol.VERSION + " (major versions must match)");
        }
        String op = text(header, "op");
        String id = text(header, "id");
        String adapterEndpoint = text(header, "endpoint");
        if (id == null || !Protocol.ENV_ID_PATTERN.matcher(id).matches()) {
            throw new BridgeException(Protocol.E_BAD_FIELD, "'id' must be an environment id like MyRobot-v0, got " + id);
        }
        if (adapterEndpoint == null) {
            throw new BridgeException(Protocol.E_BAD_FIELD, "'endpoint' is missing");
        }
        String curveKey = text(header, "curve_key");
        try {
            Endpoints.requireLoopbackOrCurve(adapterEndpoint, curveKey != null, "adapter endpoint");
        } catch (IllegalArgumentException e) {
            throw new BridgeException(Protocol.E_BAD_FIELD, e.getMessage());
        }
        String key = id + "@" + adapterEndpoint;
        if (Protocol.OP_WITHDRAW.equals(op)) {
            return () -> remove(key);
        }
        if (!Protocol.OP_ANNOUNCE.equals(op)) {
            throw new BridgeException(Protocol.E_UNKNOWN_OP, "unknown op " + op + "; expected announce or withdraw");
        }
        Adapter known = adapters.get(key);
        if (known != null) {
            known.lastSeen()[0] = System.nanoTime();
            return null;
        }
        return () -> add(id, adapterEndpoint, curveKey, key);
    }

    private void add(String id, String adapterEndpoint, String curveKey, String key) {
        // short timeouts: a robot that vanished is noticed within seconds
        BridgeSettings settings = new BridgeSettings(adapterEndpoint, null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                1, curveKey);
        Bridge bridge = null;
        try {
            bridge = Bridge.open(settings);
            RemoteEnvironment environment = new RemoteEnvironment(bridge, id, Map.of());
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(ENV_ID, id);
            properties.put(ENV_ENDPOINT, adapterEndpoint);
            properties.put(ENV_SOURCE, "adapter");
            ServiceRegistration<Environment> registration = context.registerService(Environment.class, environment, properties);
            adapters.put(key, new Adapter(id, adapterEndpoint, bridge, environment, registration,
                    new long[] {System.nanoTime()}));
        } catch (RuntimeException e) {
            // the next announce tries again; say why once, not once a second
            if (unusable.add(key + " " + e.getMessage())) {
                System.err.println("symphony: adapter " + id + " at " + adapterEndpoint + " announced but unusable: "
                        + e.getMessage());
            }
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Adapter> it = adapters.values().iterator(); it.hasNext(); ) {
            Adapter adapter = it.next();
            if (now - adapter.lastSeen()[0] > ttl.toNanos()) {
                it.remove();
                retire(adapter);
            }
        }
    }

    private void remove(String key) {
        Adapter adapter = adapters.remove(key);
        if (adapter != null) {
            retire(adapter);
        }
    }

    private static void retire(Adapter adapter) {
        try {
            adapter.registration().unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        adapter.bridge().close(); // first, so closing the environment does not wait for a vanished adapter
        adapter.environment().close();
    }

    @Deactivate
    void deactivate() {
        running = false;
        if (loop != null) {
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        adapters.values().forEach(AdapterRegistry::retire);
        adapters.clear();
        if (zmq != null) {
            zmq.close();
        }
    }

    private static String text(JsonObject header, String field) {
        return header.has(field) && header.get(field).isJsonPrimitive() ? header.get(field).getAsString() : null;
    }
}
