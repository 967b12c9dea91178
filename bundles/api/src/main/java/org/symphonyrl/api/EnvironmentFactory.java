package org.symphonyrl.api;

import java.util.List;
import java.util.Map;

/**
 * Creates environments by id. Registered as a service with the property {@value #IDS} listing the
 * ids, or glob patterns of ids, it serves (e.g. {@code Pendulum-v1}, or {@code *-v5}).
 */
public interface EnvironmentFactory {

    /** Service property: String[] of ids or glob patterns this factory serves. */
    String IDS = "symphony.env.ids";

    /**
     * Service property: where the environments come from ({@code embedded}, {@code gymnasium},
     * {@code adapter}), for {@code list} and console messages.
     *
     * @since 1.1
     */
    String SOURCE = "symphony.env.source";

    /**
     * Option key of {@link #create}, never passed to the environment: the run directory (a String path)
     * where a factory may keep the logs of processes it starts for this environment.
     *
     * @since 1.1
     */
    String OPTION_RUN_DIRECTORY = "symphony.run.dir";

    /** Ids this factory knows it can make (may be a subset of what it serves). */
    List<String> ids();

    /** Whether this factory can make {@code id}. */
    boolean supports(String id);

    /**
     * Whether {@code id} is one physical thing (a robot) that must be opened at most once at a time: the
     * trainer then makes a single instance per run and evaluates on it between training episodes.
     *
     * @since 1.1
     */
    default boolean singleInstance(String id) {
        return false;
    }

    /**
     * Makes an environment.
     *
     * @param id      the environment id
     * @param options keyword arguments for the environment (Gymnasium's {@code make(id, **kwargs)}); may be empty;
     *                keys starting with {@code symphony.} (such as {@link #OPTION_RUN_DIRECTORY}) are for the factory
     * @throws IllegalArgumentException for an unknown id or unsupported spaces, with a message saying which
     */
    Environment create(String id, Map<String, Object> options);
}
