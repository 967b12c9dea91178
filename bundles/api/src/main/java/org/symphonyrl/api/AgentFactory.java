package org.symphonyrl.api;

/** Builds agents. Registered with the service property {@value #KIND} (e.g. {@code symphony}). */
public interface AgentFactory {

    /** Service property: the agent kind this factory builds. */
    String KIND = "symphony.agent.kind";

    /**
     * Builds a fresh agent for {@code spec} with the sizes and constants of {@code params};
     * every random stream of the agent is derived from {@code seed}.
     */
    Agent create(EnvSpec spec, Hyperparameters params, long seed);
}
