package org.symphonyrl.env.zmq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;

/**
 * Gymnasium environments through the bridge. With no {@code symphony.bridge.endpoint} configured, the
 * Python server is started from the project's virtual environment at the first {@link #create} (so a
 * runtime that never asks for a Gymnasium id never starts Python) and stopped with this component. The first
 * create's {@link EnvironmentFactory#OPTION_RUN_DIRECTORY} says where the server runs and logs.
 *
 * <p>Options starting with {@code symphony.} are not passed to {@code gymnasium.make}; {@code symphony.allow.modules}
 * and {@code symphony.allow.kwargs} (comma-separated) allow a {@code module:Name-vN} id and keyword arguments,
 * which the bridge refuses otherwise (see {@link BridgeSettings} for the framework-wide lists).
 *
 * <p>Immediate, so that releasing the factory service does not deactivate it and take the server (and every
 * environment made) down with it; the server lives as long as this bundle is active.
 *
 * <p>Ranked below pure-Java factories and robot adapters (service.ranking -10): an id served both ways, such as
 * {@code Pendulum-v1}, goes to the embedded one.
 */
@Component(service = EnvironmentFactory.class, immediate = true, property = {
        EnvironmentFactory.IDS + "=Ant-v5", EnvironmentFactory.IDS + "=HalfCheetah-v5",
        EnvironmentFactory.IDS + "=Hopper-v5", EnvironmentFactory.IDS + "=Humanoid-v5",
        EnvironmentFactory.IDS + "=HumanoidStandup-v5", EnvironmentFactory.IDS + "=InvertedDoublePendulum-v5",
        EnvironmentFactory.IDS + "=InvertedPendulum-v5", EnvironmentFactory.IDS + "=Pusher-v5",
        EnvironmentFactory.IDS + "=Reacher-v5", EnvironmentFactory.IDS + "=Swimmer-v5",
        EnvironmentFactory.IDS + "=Walker2d-v5", EnvironmentFactory.IDS + "=MountainCarContinuous-v0",
        EnvironmentFactory.IDS + "=Pendulum-v1",
        EnvironmentFactory.IDS + "=*-v*",
        EnvironmentFactory.SOURCE + "=gymnasium",
        "service.ranking:Integer=-10"})
public final class GymnasiumEnvironmentFactory implements EnvironmentFactory, AutoCloseable {

    /**
     * The Gymnasium ids with Box spaces this factory serves out of the box (the MuJoCo v5 family and the
     * continuous classic-control tasks); any other Gymnasium id with Box spaces works too, through the pattern.
     * Kept equal to the explicit entries of the component's {@code symphony.env.ids} above (tested).
     */
    static final List<String> IDS = List.of("Ant-v5", "HalfCheetah-v5", "Hopper-v5", "Humanoid-v5",
            "HumanoidStandup-v5", "InvertedDoublePendulum-v5", "InvertedPendulum-v5", "Pusher-v5", "Reacher-v5",
            "Swimmer-v5", "Walker2d-v5", "MountainCarContinuous-v0", "Pendulum-v1");

    private BridgeSettings settings;
    private Bridge bridge;
    private final List<RemoteEnvironment> made = Collections.synchronizedList(new ArrayList<>());

    /** For Declarative Services ({@link #activate} configures it); outside OSGi it reads the system properties. */
    public GymnasiumEnvironmentFactory() {
    }

    /** Outside OSGi (tests, tools): a factory with these settings; close it to stop the server. */
    public GymnasiumEnvironmentFactory(BridgeSettings settings) {
        this.settings = settings;
    }

    @Activate
    void activate(BundleContext context) {
        settings = BridgeSettings.from(key -> {
            String value = context.getProperty(key); // framework properties, then system properties
            return value != null ? value : System.getProperty(key);
        });
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public List<String> ids() {
        return IDS;
    }

    @Override
    public boolean supports(String id) {
        return id != null && Protocol.ENV_ID_PATTERN.matcher(id).matches();
    }

    @Override
    public Environment create(String id, Map<String, Object> options) {
        if (!supports(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a Gymnasium id (expected Name-vN, e.g. Hopper-v5)");
        }
        Map<String, Object> given = options == null ? Map.of() : options;
        RemoteEnvironment environment = new RemoteEnvironment(bridge(given), id, given);
        made.removeIf(RemoteEnvironment::isClosed);
        made.add(environment);
        return environment;
    }

    /** The bridge, started at the first call (in the run directory of {@code options}, if any). */
    synchronized Bridge bridge(Map<String, Object> options) {
        if (bridge == null) {
            if (settings == null) { // made with the no-argument constructor outside OSGi
                settings = BridgeSettings.from(System::getProperty);
            }
            bridge = Bridge.open(settings, Bridge.runDirectory(options));
        }
        return bridge;
    }

    synchronized Bridge bridge() {
        return bridge(Map.of());
    }

    /** Closes every environment made here and stops the server if it is ours. */
    @Override
    public synchronized void close() {
        if (bridge != null && bridge.ownsServer()) {
            bridge.close(); // first: our server goes anyway, so its environments need not be closed one by one
        }
        synchronized (made) {
            made.forEach(Environment::close);
            made.clear();
        }
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }
}
