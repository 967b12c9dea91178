package org.symphonyrl.env.embedded;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ComponentPropertyType;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;

/** Makes the pure-Java environments, which need neither Python nor a bridge. */
@Component(service = EnvironmentFactory.class)
@EmbeddedEnvironmentFactory.ServedIds(symphony_env_ids = {Pendulum.ID})
public final class EmbeddedEnvironmentFactory implements EnvironmentFactory {

    /** The service property {@value EnvironmentFactory#IDS} (bnd maps '_' to '.'), a String[] even for one id. */
    @ComponentPropertyType
    @interface ServedIds {
        String[] symphony_env_ids();
    }

    private static final Map<String, Function<Map<String, Object>, Environment>> MAKERS =
            Map.of(Pendulum.ID, Pendulum::make);

    @Override
    public List<String> ids() {
        return List.of(Pendulum.ID);
    }

    @Override
    public boolean supports(String id) {
        return id != null && MAKERS.containsKey(id);
    }

    /** {@code options} may be null or empty for the defaults. */
    @Override
    public Environment create(String id, Map<String, Object> options) {
        Function<Map<String, Object>, Environment> maker = supports(id) ? MAKERS.get(id) : null;
        if (maker == null) {
            throw new IllegalArgumentException("unknown environment id '" + id + "'; the embedded environments are "
                    + ids());
        }
        return maker.apply(options == null ? Map.of() : options);
    }
}
