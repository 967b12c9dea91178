package org.symphonyrl.core;

import org.osgi.service.component.annotations.Component;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentFactory;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;

/** Builds {@link SymphonyAgent}s: the service behind {@code symphony.agent.kind=symphony}. */
@Component(service = AgentFactory.class, property = AgentFactory.KIND + "=" + SymphonyAgent.KIND)
public final class SymphonyAgentFactory implements AgentFactory {

    @Override
    public Agent create(EnvSpec spec, Hyperparameters params, long seed) {
        return new SymphonyAgent(spec, params, seed);
    }
}
