package org.symphonyrl.replay.fading;

import org.osgi.service.component.annotations.Component;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.ReplayBufferFactory;

/** Makes Fading Replay Buffers. */
@Component(service = ReplayBufferFactory.class, property = ReplayBufferFactory.KIND + "=" + FadingReplayBuffer.KIND)
public final class FadingReplayBufferFactory implements ReplayBufferFactory {

    @Override
    public ReplayBuffer create(EnvSpec spec, Hyperparameters params, long seed) {
        return new FadingReplayBuffer(spec, params, seed);
    }
}
