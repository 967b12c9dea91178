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
 * runtime that never asks for a Gymnasium id never starts Python) and stopped with this component.
 *
 * <p>Immediate, so that releasing the factory service does not deactivate it and take the server (and every
 * environment made) down with it; the server lives as long as this bundle is active.
 *
 * <p>Ranked below pure-Java factories (service.ranking -10): an id served both ways, such as
 * {@code Pendulum-v1}, goes to the embedded one.
 */
@Component(service = EnvironmentFactory.class, immediate = true, property = {
        EnvironmentFactory.IDS + "=Humanoid-v5", EnvironmentFactory.IDS + "=Hopper-v5",
        EnvironmentFactory.IDS + "=Walker2d-v5", EnvironmentFactory.IDS + "=HalfCheetah-v5",
        EnvironmentFactory.IDS + "=Ant-v5", EnvironmentFactory.IDS + "=InvertedPendulum-v5",
        EnvironmentFactory.IDS + "=*-v*",
        "service.ranking:Integer=-10"})
public final class GymnasiumEnvironmentFactory implements EnvironmentFactory, AutoCloseable {

    /** The MuJoCo environments this factory is known to serve; any other Gymnasium id with Box spaces works too. */
    static final List<String> MUJOCO_IDS = List.of("Humanoid-v5", "Hopper-v5", "Walker2d-v5", "HalfCheetah-v5",
            "Ant-v5", "InvertedPendulum-v5");

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
        return MUJOCO_IDS;
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
        RemoteEnvironment environment = new RemoteEnvironment(bridge(), id, options);
        made.removeIf(RemoteEnvironment::isClosed);
        made.add(environment);
        return environment;
    }

    synchronized Bridge bridge() {
        if (bridge == null) {
            if (settings == null) { // made with the no-argument constructor outside OSGi
                settings = BridgeSettings.from(System::getProperty);
            }
            bridge = Bridge.open(settings);
        }
        return bridge;
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
