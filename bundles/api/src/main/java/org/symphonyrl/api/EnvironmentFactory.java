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

    /** Ids this factory knows it can make (may be a subset of what it serves). */
    List<String> ids();

    /** Whether this factory can make {@code id}. */
    boolean supports(String id);

    /**
     * Makes an environment.
     *
     * @param id      the environment id
     * @param options keyword arguments for the environment (Gymnasium's {@code make(id, **kwargs)}); may be empty
     * @throws IllegalArgumentException for an unknown id or unsupported spaces, with a message saying which
     */
    Environment create(String id, Map<String, Object> options);
}
