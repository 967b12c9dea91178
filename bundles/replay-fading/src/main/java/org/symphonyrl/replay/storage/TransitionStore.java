package org.symphonyrl.replay.storage;

/**
 * Preallocated primitive storage for transitions, no object per transition, arranged as a ring:
 * logical position 0 lives at physical slot {@code head}, so a rotation of the whole buffer is a
 * move of {@code head}, O(1).
 *
 * <p>One row per slot holds state, action and next state side by side, so that drawing a transition
 * reads one contiguous stretch of memory rather than three far apart (gathering 384 random rows at
 * Humanoid size measured 1.5× faster); reward and discount sit side by side in a second, small array.
 * Rows are float32, or float16 when asked (half the memory, widened to float32 when read); rewards
 * and discounts stay float32, for the reward normaliser and the terminal test ({@code discount == 0}).
 *
 * <p>The store checks nothing about values; {@link RingReplayBuffer} checks before it writes.
 */
public final class TransitionStore {

    private final int capacity;
    private final int observationSize;
    private final int actionSize;
    private final int rowSize;
    private final boolean half;

    /** Per slot: state, action, next state. */
    private final float[] rows;
    private final short[] rows16;
    /** Per slot: reward, discount. */
    private final float[] scalars;

    private int head;
    private int size;

    public TransitionStore(int capacity, int observationSize, int actionSize, boolean half) {
        if (capacity < 1 || observationSize < 1 || actionSize < 1) {
            throw new IllegalArgumentException("capacity, observation size and action size must be >= 1, got "
                    + capacity + ", " + observationSize + ", " + actionSize);
        }
        long rowSize = 2L * observationSize + actionSize;
        if (rowSize * capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity " + capacity + " × (2 × observation " + observationSize
                    + " + action " + actionSize + ") does not fit one Java array (at most "
                    + (Integer.MAX_VALUE - 8) + " values)");
        }
        this.capacity = capacity;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.rowSize = (int) rowSize;
        this.half = half;
        rows = half ? null : new float[capacity * this.rowSize];
        rows16 = half ? new short[capacity * this.rowSize] : null;
        scalars = new float[2 * capacity];
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
    }

    /** Overwrites logical position {@code i}, which holds a transition. */
    public void set(int i, float[] s, float[] a, float r, float[] s2, float discount) {
        write(slot(i), s, a, r, s2, discount);
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
        return scalars[2 * slot(i) + 1];
    }

    public float reward(int i) {
        return scalars[2 * slot(i)];
    }

    /** Divides every stored reward by {@code scale}. */
    public void scaleRewards(double scale) {
        for (int i = 0; i < size; i++) {
            int r = 2 * slot(i);
            scalars[r] = (float) (scalars[r] / scale);
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
        }
        size = Math.max(n, target);
    }

    private void copy(int from, int to) {
        if (half) {
            System.arraycopy(rows16, from * rowSize, rows16, to * rowSize, rowSize);
        } else {
            System.arraycopy(rows, from * rowSize, rows, to * rowSize, rowSize);
        }
        scalars[2 * to] = scalars[2 * from];
        scalars[2 * to + 1] = scalars[2 * from + 1];
    }

    private void write(int p, float[] s, float[] a, float r, float[] s2, float discount) {
        int at = p * rowSize;
        put(s, 0, at, observationSize);
        put(a, 0, at + observationSize, actionSize);
        put(s2, 0, at + observationSize + actionSize, observationSize);
        scalars[2 * p] = r;
        scalars[2 * p + 1] = discount;
    }

    private void put(float[] from, int offset, int at, int n) {
        if (half) {
            for (int j = 0; j < n; j++) {
                rows16[at + j] = Float16.narrow(from[offset + j]);
            }
        } else {
            System.arraycopy(from, offset, rows, at, n);
        }
    }

    private void get(int at, float[] to, int offset, int n) {
        if (half) {
            Float16.widen(rows16, at, to, offset, n);
        } else {
            System.arraycopy(rows, at, to, offset, n);
        }
    }

    /**
     * Copies logical position {@code i} into row {@code row} of the output arrays, float32 whatever
     * the storage; rows of a batch are contiguous.
     */
    public void copyRow(int i, int row, float[] outStates, float[] outActions, float[] outRewards,
                        float[] outNextStates, float[] outDiscounts) {
        int p = slot(i);
        int at = p * rowSize;
        get(at, outStates, row * observationSize, observationSize);
        get(at + observationSize, outActions, row * actionSize, actionSize);
        get(at + observationSize + actionSize, outNextStates, row * observationSize, observationSize);
        outRewards[row] = scalars[2 * p];
        outDiscounts[row] = scalars[2 * p + 1];
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
        for (int i = 0; i < n; i++) {
            int at = i * rowSize;
            put(s, i * observationSize, at, observationSize);
            put(a, i * actionSize, at + observationSize, actionSize);
            put(s2, i * observationSize, at + observationSize + actionSize, observationSize);
            scalars[2 * i] = r[i];
            scalars[2 * i + 1] = d[i];
        }
    }

    /** Bytes held by the preallocated storage arrays. */
    public long bytes() {
        return (long) capacity * rowSize * (half ? Short.BYTES : Float.BYTES) + 2L * Float.BYTES * capacity;
    }
}
