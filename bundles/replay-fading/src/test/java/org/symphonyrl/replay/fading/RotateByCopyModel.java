package org.symphonyrl.replay.fading;

/**
 * The Fading Replay Buffer as docs/algorithm.md §4 describes it, on plain arrays, every rotation a copy
 * of the whole buffer, as the authors' {@code torch.roll}: the slow reference the pointer-moving buffer
 * must match after every step. Written from the description, not from the buffer's code.
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
    /** Adds that found a terminal oldest, and those of them where the second-oldest, dropped, was terminal too. */
    int rotationsByTwo;
    int terminalDroppedBehindTerminal;

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
        // the oldest, checked right after the write: terminal → left by two, else by one
        if (terminal[0]) {
            rotationsByTwo++;
            if (capacity > 1 && terminal[1]) {
                terminalDroppedBehindTerminal++;
            }
            rollLeft(2);
        } else {
            rollLeft(1);
        }
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
        for (int i = n; i < target; i++) { // the fill is not rotated
            put(i, ids[i - n], rewards[i - n], terminal[i - n]);
        }
        size = Math.max(size, target);
        explorationEnded = true;
    }

    /** torch.roll(x, −k): element i takes the old element (i + k) mod N, every field copied. */
    private void rollLeft(int k) {
        int[] oldIds = ids.clone();
        float[] oldRewards = rewards.clone();
        boolean[] oldTerminal = terminal.clone();
        for (int i = 0; i < capacity; i++) {
            int from = (i + k) % capacity;
            put(i, oldIds[from], oldRewards[from], oldTerminal[from]);
        }
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
