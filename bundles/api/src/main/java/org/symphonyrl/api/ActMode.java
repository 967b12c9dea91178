package org.symphonyrl.api;

/** How the actor produces an action: {@code a_max · tanh(active · σ · A + noisy · N)}. */
public enum ActMode {
    /** active = 1, noisy = 1: exploration and training episodes. */
    TRAIN(true, true),
    /** active = 0, noisy = 1: the deliberate fall near the episode limit (noise only). */
    FALL(false, true),
    /** active = 1, noisy = 0: evaluation episodes. */
    EVALUATE(true, false);

    private final boolean active;
    private final boolean noisy;

    ActMode(boolean active, boolean noisy) {
        this.active = active;
        this.noisy = noisy;
    }

    public boolean active() { return active; }

    public boolean noisy() { return noisy; }
}
