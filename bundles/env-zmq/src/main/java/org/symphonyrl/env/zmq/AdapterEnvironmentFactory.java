package org.symphonyrl.env.zmq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;

/**
 * The {@link EnvironmentFactory} of one announced robot adapter (registered by {@link AdapterRegistry}): it serves
 * exactly the adapter's id, as a single instance (one robot, one connection). Each {@link #create} opens its own
 * authenticated connection to the adapter and makes the environment once; closing the environment closes the
 * connection. When the adapter goes away, an environment still open ends its episode as truncated and interrupted.
 */
final class AdapterEnvironmentFactory implements EnvironmentFactory {

    /** A robot answers at once or not at all: short timeouts, so a vanished adapter is noticed within seconds. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAKE_TIMEOUT = Duration.ofSeconds(30);

    private final AdapterAnnounce announce;
    private final BridgeSettings settings;
    private final Set<Bridge> open = ConcurrentHashMap.newKeySet();
    private volatile String gone;

    /** @param base the registry's settings: the per-user directory and the allow-lists */
    AdapterEnvironmentFactory(AdapterAnnounce announce, BridgeSettings base) {
        this.announce = announce;
        this.settings = new BridgeSettings(announce.endpoint(), null, REQUEST_TIMEOUT, MAKE_TIMEOUT, 1,
                announce.curveKey(), base.userDirectory(), base.allowModules(), base.allowKwargs());
    }

    AdapterAnnounce announce() {
        return announce;
    }

    @Override
    public List<String> ids() {
        return List.of(announce.id());
    }

    @Override
    public boolean supports(String id) {
        return announce.id().equals(id);
    }

    @Override
    public boolean singleInstance(String id) {
        return supports(id);
    }

    @Override
    public Environment create(String id, Map<String, Object> options) {
        if (!supports(id)) {
            throw new IllegalArgumentException("this factory serves the robot adapter " + announce.id() + ", not " + id);
        }
        String why = gone;
        if (why != null) {
            throw new IllegalStateException(announce.id() + " is no longer available: " + why);
        }
        Bridge bridge = Bridge.open(settings);
        try {
            RemoteEnvironment environment = new RemoteEnvironment(bridge, id, options, () -> {
                open.remove(bridge);
                bridge.close();
            });
            open.add(bridge);
            return environment;
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /** The adapter went away: environments still open end their episode as interrupted with {@code reason}. */
    void retire(String reason) {
        gone = reason;
        for (Bridge bridge : open) {
            bridge.abandon("robot adapter " + announce.id() + " at " + announce.endpoint() + " went away: " + reason);
        }
        open.clear();
    }

    @Override
    public String toString() {
        return "robot adapter " + announce.id() + " at " + announce.endpoint();
    }
}
