package org.symphonyrl.replay.fading;

/**
 * The Fading Replay Buffer as ALGORITHM.md §4 describes it, on plain arrays, every rotation a copy of
 * the whole buffer: the slow reference the pointer-moving buffer must match after every step.
 */
final class RotateByCopyModel {

    final int capacity;
    private final int times;
    final int[] ids;
    final float[] rewards;
    final boolean[] terminal;
    int size;
    double rewardScale = 1.0;
    private boolean explorationEnded;

    RotateByCopyModel(int capacity, int times) {
        this.capacity = capacity;
        this.times = times;
        ids = new int[capacity];
        rewards = new float[capacity];
        terminal = new boolean[capacity];
    }

    void add(int id, double reward, boolean done) {
        float r = (float) (explorationEnded ? reward / rewardScale : reward);
        if (size < capacity) {
            put(size++, id, r, done);
            if (size < capacity) {
                return;
            }
        } else {
            put(capacity - 1, id, r, done); // the newest position
        }
        rotateLeftByCopy();
        recycleTerminals();
    }

    void endExploration() {
        int n = size;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs(rewards[i]);
        }
        rewardScale = sum > 0 ? sum / n : 1.0;
        for (int i = 0; i < n; i++) {
            rewards[i] = (float) (rewards[i] / rewardScale);
        }
        int target = Math.min(times * n, capacity);
        boolean wasFull = size == capacity;
        for (int i = n; i < target; i++) {
            put(i, ids[i - n], rewards[i - n], terminal[i - n]);
        }
        size = Math.max(size, target);
        explorationEnded = true;
        if (!wasFull && size == capacity) {
            recycleTerminals();
        }
    }

    /** A terminal at the slot written next moves on by one more rotation, while a non-terminal exists. */
    private void recycleTerminals() {
        while (terminal[capacity - 1] && hasNonTerminal()) {
            rotateLeftByCopy();
        }
    }

    private boolean hasNonTerminal() {
        for (int i = 0; i < size; i++) {
            if (!terminal[i]) {
                return true;
            }
        }
        return false;
    }

    private void rotateLeftByCopy() {
        int id = ids[0];
        float r = rewards[0];
        boolean t = terminal[0];
        for (int i = 0; i < capacity - 1; i++) {
            ids[i] = ids[i + 1];
            rewards[i] = rewards[i + 1];
            terminal[i] = terminal[i + 1];
        }
        put(capacity - 1, id, r, t);
    }

    private void put(int i, int id, float r, boolean done) {
        ids[i] = id;
        rewards[i] = r;
        terminal[i] = done;
    }

    /** Logical position of snapshot row k: a full buffer's snapshot starts at N−1, the slot written next. */
    int positionOfSnapshotRow(int k) {
        return size == capacity ? (k + capacity - 1) % capacity : k;
    }
}
