package org.symphonyrl.replay.storage;

/**
 * Preallocated primitive storage for transitions, no object per transition, arranged as a ring:
 * logical position 0 lives at physical slot {@code head}, so a rotation of the whole buffer is a
 * move of {@code head}, O(1). Observations and actions are float32, or float16 when asked (half
 * the memory, widened to float32 when read); rewards and discounts stay float32, they are small
 * and the reward normaliser and the terminal test ({@code discount == 0}) read them exactly.
 *
 * <p>The store checks nothing about values; {@link RingReplayBuffer} checks before it writes.
 */
public final class TransitionStore {

    private final int capacity;
    private final int observationSize;
    private final int actionSize;
    private final boolean half;

    private final float[] states;
    private final float[] nextStates;
    private final float[] actions;
    private final short[] states16;
    private final short[] nextStates16;
    private final short[] actions16;
    private final float[] rewards;
    private final float[] discounts;

    private int head;
    private int size;
    private int terminals;

    public TransitionStore(int capacity, int observationSize, int actionSize, boolean half) {
        if (capacity < 1 || observationSize < 1 || actionSize < 1) {
            throw new IllegalArgumentException("capacity, observation size and action size must be >= 1, got "
                    + capacity + ", " + observationSize + ", " + actionSize);
        }
        long cells = (long) capacity * observationSize;
        if (cells > Integer.MAX_VALUE - 8 || (long) capacity * actionSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity " + capacity + " × observation size " + observationSize
                    + " does not fit one Java array (at most " + (Integer.MAX_VALUE - 8) + " values)");
        }
        this.capacity = capacity;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.half = half;
        states = half ? null : new float[(int) cells];
        nextStates = half ? null : new float[(int) cells];
        actions = half ? null : new float[capacity * actionSize];
        states16 = half ? new short[(int) cells] : null;
        nextStates16 = half ? new short[(int) cells] : null;
        actions16 = half ? new short[capacity * actionSize] : null;
        rewards = new float[capacity];
        discounts = new float[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public boolean full() {
        return size == capacity;
    }

    public int observationSize() {
        return observationSize;
    }

    public int actionSize() {
        return actionSize;
    }

    /** Whether observations and actions are held as float16. */
    public boolean halfPrecision() {
        return half;
    }

    /** Stored transitions whose discount is 0 (terminal ones). */
    public int terminals() {
        return terminals;
    }

    /** Physical slot of logical position {@code i} (0 = oldest). */
    private int slot(int i) {
        int p = head + i;
        return p >= capacity ? p - capacity : p;
    }

    /** Appends at logical position {@code size}; the store must not be full. */
    public void append(float[] s, float[] a, float r, float[] s2, float discount) {
        if (full()) {
            throw new IllegalStateException("the store is full");
        }
        write(slot(size), s, a, r, s2, discount);
        size++;
        if (discount == 0f) {
            terminals++;
        }
    }

    /** Overwrites logical position {@code i}, which holds a transition. */
    public void set(int i, float[] s, float[] a, float r, float[] s2, float discount) {
        int p = slot(i);
        if (discounts[p] == 0f) {
            terminals--;
        }
        write(p, s, a, r, s2, discount);
        if (discount == 0f) {
            terminals++;
        }
    }

    /**
     * Rotates a full store left by {@code k}: logical position k becomes 0 and positions 0..k−1 move,
     * in order, to the newest end. Equal to shifting every element by copying, at the cost of one addition.
     */
    public void rotateLeft(int k) {
        if (!full()) {
            throw new IllegalStateException("only a full store rotates (" + size + " of " + capacity + ")");
        }
        head = (int) ((head + (long) k) % capacity);
    }

    public float discount(int i) {
        return discounts[slot(i)];
    }

    public float reward(int i) {
        return rewards[slot(i)];
    }

    /** Divides every stored reward by {@code scale}. */
    public void scaleRewards(double scale) {
        for (int i = 0; i < size; i++) {
            int p = slot(i);
            rewards[p] = (float) (rewards[p] / scale);
        }
    }

    /**
     * Appends copies of logical positions 0, 1, 2, … in turn until {@code total} transitions are
     * stored or the store is full: the first {@code size} transitions repeated, the last copy cut.
     */
    public void repeatUntil(int total) {
        int n = size;
        int target = Math.min(total, capacity);
        for (int i = n; i < target; i++) {
            copy(slot(i - n), slot(i));
            if (discounts[slot(i)] == 0f) {
                terminals++;
            }
        }
        size = Math.max(n, target);
    }

    private void copy(int from, int to) {
        int s = observationSize;
        int a = actionSize;
        if (half) {
            System.arraycopy(states16, from * s, states16, to * s, s);
            System.arraycopy(nextStates16, from * s, nextStates16, to * s, s);
            System.arraycopy(actions16, from * a, actions16, to * a, a);
        } else {
            System.arraycopy(states, from * s, states, to * s, s);
            System.arraycopy(nextStates, from * s, nextStates, to * s, s);
            System.arraycopy(actions, from * a, actions, to * a, a);
        }
        rewards[to] = rewards[from];
        discounts[to] = discounts[from];
    }

    private void write(int p, float[] s, float[] a, float r, float[] s2, float discount) {
        writeVector(s, 0, p, observationSize, states, states16);
        writeVector(s2, 0, p, observationSize, nextStates, nextStates16);
        writeVector(a, 0, p, actionSize, actions, actions16);
        rewards[p] = r;
        discounts[p] = discount;
    }

    private void writeVector(float[] from, int offset, int p, int n, float[] to32, short[] to16) {
        if (half) {
            int at = p * n;
            for (int j = 0; j < n; j++) {
                to16[at + j] = Float16.narrow(from[offset + j]);
            }
        } else {
            System.arraycopy(from, offset, to32, p * n, n);
        }
    }

    /**
     * Copies logical position {@code i} into row {@code row} of the output arrays, float32 whatever
     * the storage; rows of a batch are contiguous.
     */
    public void copyRow(int i, int row, float[] outStates, float[] outActions, float[] outRewards,
                        float[] outNextStates, float[] outDiscounts) {
        int p = slot(i);
        int s = observationSize;
        int a = actionSize;
        if (half) {
            Float16.widen(states16, p * s, outStates, row * s, s);
            Float16.widen(nextStates16, p * s, outNextStates, row * s, s);
            Float16.widen(actions16, p * a, outActions, row * a, a);
        } else {
            System.arraycopy(states, p * s, outStates, row * s, s);
            System.arraycopy(nextStates, p * s, outNextStates, row * s, s);
            System.arraycopy(actions, p * a, outActions, row * a, a);
        }
        outRewards[row] = rewards[p];
        outDiscounts[row] = discounts[p];
    }

    /**
     * Replaces the contents by the {@code n} transitions given in logical order (row-major arrays as
     * in a snapshot); afterwards logical position 0 is the first of them.
     */
    public void load(int n, float[] s, float[] a, float[] r, float[] s2, float[] d) {
        if (n > capacity) {
            throw new IllegalArgumentException("cannot load " + n + " transitions into capacity " + capacity);
        }
        head = 0;
        size = n;
        terminals = 0;
        for (int i = 0; i < n; i++) {
            writeVector(s, i * observationSize, i, observationSize, states, states16);
            writeVector(s2, i * observationSize, i, observationSize, nextStates, nextStates16);
            writeVector(a, i * actionSize, i, actionSize, actions, actions16);
            rewards[i] = r[i];
            discounts[i] = d[i];
            if (d[i] == 0f) {
                terminals++;
            }
        }
    }

    /** Bytes held by the preallocated storage arrays. */
    public long bytes() {
        long vectors = (2L * capacity * observationSize + (long) capacity * actionSize) * (half ? 2 : 4);
        return vectors + 2L * Float.BYTES * capacity;
    }
}
