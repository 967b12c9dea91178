package org.symphonyrl.api;

/** Builds replay buffers. Registered with the service property {@value #KIND} ({@code fading}, {@code uniform}). */
public interface ReplayBufferFactory {

    /** Service property: the buffer kind this factory builds. */
    String KIND = "replay.kind";

    /**
     * Builds an empty buffer for {@code spec}, sized and shaped by {@code params}
     * (capacity, times, γ, float16, dimple); the sampling stream is derived from {@code seed}.
     */
    ReplayBuffer create(EnvSpec spec, Hyperparameters params, long seed);
}
