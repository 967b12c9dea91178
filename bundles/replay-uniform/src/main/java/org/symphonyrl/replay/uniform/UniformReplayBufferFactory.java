package org.symphonyrl.replay.uniform;

import org.osgi.service.component.annotations.Component;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.ReplayBufferFactory;

/** Makes uniform FIFO replay buffers. */
@Component(service = ReplayBufferFactory.class, property = ReplayBufferFactory.KIND + "=" + UniformReplayBuffer.KIND)
public final class UniformReplayBufferFactory implements ReplayBufferFactory {

    @Override
    public ReplayBuffer create(EnvSpec spec, Hyperparameters params, long seed) {
        return new UniformReplayBuffer(spec, params, seed);
    }
}
