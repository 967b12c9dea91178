package org.symphonyrl.replay.storage;

import org.symphonyrl.api.Batch;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.random.RandomStream;

/**
 * What every replay buffer here shares (docs/algorithm.md §4): input checks that store nothing on bad
 * input; the exploration phase and its end (r̄ = mean |r| of the stored exploration rewards, rewards
 * divided by r̄ then and on arrival later, the data repeated {@code times} times); one contiguous
 * batch per sample; snapshots that any kind can restore. A subclass decides what happens once the
 * store is full and which logical positions a sample draws.
 *
 * <p>Snapshot order: a snapshot lists the transitions starting with the one this buffer would
 * overwrite next once full, so that for every kind "first" means "oldest" and a buffer of another
 * kind that restores it goes on overwriting in the same order. Neither the end-of-exploration fill
 * nor a restore applies a kind's replacement rule: that rule belongs to an add, so a restored buffer
 * holds exactly the snapshot's order and goes on as the buffer that took the snapshot would.
 */
public abstract class RingReplayBuffer implements ReplayBuffer {

    /** Name of the sampling stream derived from the run seed. */
    public static final String RANDOM_STREAM = "replay-sampling";

    protected final TransitionStore store;
    private final String kind;
    private final int times;
    private final float discount;
    private RandomStream random;

    private double rewardScale = 1.0;
    private boolean explorationEnded;

    protected RingReplayBuffer(String kind, EnvSpec spec, Hyperparameters params, long seed) {
        this.kind = kind;
        this.times = params.times();
        this.discount = (float) params.gamma();
        this.store = new TransitionStore(params.capacity(), spec.observationSize(), spec.actionSize(),
                params.float16Storage());
        this.random = RandomStream.derive(seed, RANDOM_STREAM);
    }

    /** Stores a checked transition in a full store: the kind's replacement rule. */
    protected abstract void addToFullStore(float[] s, float[] a, float r, float[] s2, float discount);

    /**
     * Called when an {@link #add} has just made the store full: the transition it appended is at the
     * newest position N−1. Not called when the end-of-exploration fill or a restore fills the store.
     */
    protected void filledByAdd() {
    }

    /** Called before the draws of one sample; the store holds at least one transition. */
    protected abstract void prepareSampling();

    /** Draws one logical position in [0, size). */
    protected abstract int drawPosition(RandomStream random);

    /** Logical position of the transition this buffer overwrites next (0 unless a kind says otherwise). */
    protected int nextOverwritten() {
        return 0;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final void add(float[] state, float[] action, double reward, float[] nextState, boolean terminated) {
        checkVector("state", state, store.observationSize());
        checkVector("action", action, store.actionSize());
        checkVector("nextState", nextState, store.observationSize());
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward is " + reward + ", expected a finite number; nothing was stored");
        }
        float r = (float) (explorationEnded ? reward / rewardScale : reward);
        if (!Float.isFinite(r)) {
            throw new IllegalArgumentException("reward " + reward + " / r̄ " + rewardScale
                    + " overflows float32; nothing was stored");
        }
        float d = terminated ? 0f : discount;
        if (store.full()) {
            addToFullStore(state, action, r, nextState, d);
        } else {
            store.append(state, action, r, nextState, d);
            if (store.full()) {
                filledByAdd();
            }
        }
    }

    private void checkVector(String name, float[] v, int length) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is null; nothing was stored");
        }
        if (v.length != length) {
            throw new IllegalArgumentException(name + " has length " + v.length + ", expected " + length
                    + "; nothing was stored");
        }
        checkValues(name, v);
    }

    /** Finite, and within float16 range when stored as float16. */
    private void checkValues(String name, float[] v) {
        boolean half = store.halfPrecision();
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + x + ", expected a finite number;"
                        + " nothing was stored");
            }
            if (half && !Float16.fits(x)) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + x + ", beyond float16 storage (|x| < "
                        + Float16.OVERFLOW + "); nothing was stored");
            }
        }
    }

    @Override
    public final void endExploration() {
        if (explorationEnded) {
            throw new IllegalStateException("endExploration was already called");
        }
        int n = store.size();
        if (n == 0) {
            throw new IllegalStateException("endExploration with an empty buffer: store at least one transition first");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs(store.reward(i));
        }
        double mean = sum / n;
        // All-zero exploration rewards carry no scale; 1 keeps rewards as they come.
        rewardScale = mean > 0 ? mean : 1.0;
        store.scaleRewards(rewardScale);
        // A store filled by repetition is not rotated: the next transition is written at the newest
        // position, as in the paper ("a new transition enters it at the last index") and the authors' code.
        store.repeatUntil((int) Math.min(Integer.MAX_VALUE, (long) times * n));
        explorationEnded = true;
    }

    @Override
    public final boolean explorationEnded() {
        return explorationEnded;
    }

    @Override
    public final double rewardScale() {
        return rewardScale;
    }

    @Override
    public final int size() {
        return store.size();
    }

    @Override
    public final int capacity() {
        return store.capacity();
    }

    /**
     * Draws {@code batchSize} logical positions and copies those transitions into fresh arrays (the
     * batch is the caller's to keep); nothing else is allocated.
     */
    @Override
    public final Batch sample(int batchSize) {
        if (store.size() == 0) {
            throw new IllegalStateException("cannot sample from an empty " + kind + " buffer: add transitions first");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        prepareSampling();
        int s = store.observationSize();
        int a = store.actionSize();
        float[] states = new float[batchSize * s];
        float[] actions = new float[batchSize * a];
        float[] rewards = new float[batchSize];
        float[] nextStates = new float[batchSize * s];
        float[] discounts = new float[batchSize];
        RandomStream r = random;
        for (int k = 0; k < batchSize; k++) {
            store.copyRow(drawPosition(r), k, states, actions, rewards, nextStates, discounts);
        }
        return new Batch(batchSize, s, a, states, actions, rewards, nextStates, discounts);
    }

    @Override
    public final BufferSnapshot snapshot() {
        int n = store.size();
        int s = store.observationSize();
        int a = store.actionSize();
        float[] states = new float[n * s];
        float[] actions = new float[n * a];
        float[] rewards = new float[n];
        float[] nextStates = new float[n * s];
        float[] discounts = new float[n];
        int start = nextOverwritten();
        for (int k = 0; k < n; k++) {
            int i = start + k;
            store.copyRow(i < n ? i : i - n, k, states, actions, rewards, nextStates, discounts);
        }
        return new BufferSnapshot(kind, s, a, store.capacity(), n, states, actions, rewards, nextStates, discounts,
                rewardScale, explorationEnded, random.state());
    }

    /** Checks everything first, so that a snapshot that does not fit leaves this buffer as it was. */
    @Override
    public final void restore(BufferSnapshot snap) {
        if (snap == null) {
            throw new IllegalArgumentException("snapshot is null");
        }
        if (snap.observationSize() != store.observationSize() || snap.actionSize() != store.actionSize()) {
            throw new IllegalArgumentException("snapshot has observation size " + snap.observationSize()
                    + " and action size " + snap.actionSize() + "; this buffer expects " + store.observationSize()
                    + " and " + store.actionSize());
        }
        if (snap.size() > store.capacity()) {
            throw new IllegalArgumentException("snapshot holds " + snap.size() + " transitions; this buffer's capacity is "
                    + store.capacity());
        }
        if (!(snap.rewardScale() > 0) || Double.isInfinite(snap.rewardScale())) {
            throw new IllegalArgumentException("snapshot reward scale is " + snap.rewardScale()
                    + ", expected a finite number > 0");
        }
        RandomStream restoredRandom = RandomStream.fromState(snap.randomState());
        checkValues("snapshot states", snap.states());
        checkValues("snapshot nextStates", snap.nextStates());
        checkValues("snapshot actions", snap.actions());
        for (int i = 0; i < snap.size(); i++) {
            if (!Float.isFinite(snap.rewards()[i])) {
                throw new IllegalArgumentException("snapshot rewards[" + i + "] is " + snap.rewards()[i]
                        + "; nothing was restored");
            }
            float d = snap.discounts()[i];
            if (!(d >= 0f && d <= 1f)) {
                throw new IllegalArgumentException("snapshot discounts[" + i + "] is " + d
                        + ", expected γ·(1 − done) in [0, 1]; nothing was restored");
            }
        }
        store.load(snap.size(), snap.states(), snap.actions(), snap.rewards(), snap.nextStates(), snap.discounts());
        rewardScale = snap.rewardScale();
        explorationEnded = snap.explorationEnded();
        random = restoredRandom;
        // The snapshot starts with the transition to overwrite next; put it back where this kind keeps it.
        int start = nextOverwritten();
        if (start != 0) {
            store.rotateLeft(store.size() - start);
        }
    }

    /** Bytes held by the preallocated transition storage. */
    public final long storageBytes() {
        return store.bytes();
    }
}
