package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.replay.storage.Transitions;

/** The pointer-moving buffer against the rotate-by-copy description, step by step. */
class FadingOrderTest {

    @Test
    void matchesTheRotateByCopyModelAfterEveryStepAndRestoresItself() {
        Random rng = new Random(20261125);
        int steps = 0;
        for (int run = 0; run < 60; run++) {
            int capacity = 1 + rng.nextInt(9);
            int times = 1 + rng.nextInt(4);
            double terminalRate = new double[] {0, 0.1, 0.4, 0.9}[run % 4];
            FadingReplayBuffer buffer = Fading.buffer(capacity, times);
            RotateByCopyModel model = new RotateByCopyModel(capacity, times);
            Map<Integer, Boolean> terminalById = new HashMap<>();
            int exploration = 1 + rng.nextInt(2 * capacity);
            int id = 0;
            for (int k = 0; k < exploration + 200; k++) {
                if (k == exploration) {
                    buffer.endExploration();
                    model.endExploration();
                    assertSame(model, buffer.snapshot(), "after endExploration");
                }
                double reward = Math.round((rng.nextDouble() * 6 - 3) * 4) / 4.0;
                boolean done = rng.nextDouble() < terminalRate;
                terminalById.put(id, done);
                BufferSnapshot before = buffer.snapshot();
                Transitions.add(buffer, id, reward, done);
                model.add(id, reward, done);
                BufferSnapshot after = buffer.snapshot();
                assertSame(model, after, "run " + run + " step " + k);
                // a checkpoint restored into a new buffer snapshots back bit for bit
                FadingReplayBuffer restored = Fading.buffer(capacity, times);
                restored.restore(after);
                Transitions.assertSameContents(after, restored.snapshot());
                if (before.size() == capacity) {
                    assertOnlyNonTerminalOverwritten(before, after, id, terminalById);
                }
                id++;
                steps++;
            }
        }
        assertTrue(steps > 10_000, "exercised " + steps + " steps");
    }

    /** An overwrite takes a terminal only when no non-terminal was stored. */
    private static void assertOnlyNonTerminalOverwritten(BufferSnapshot before, BufferSnapshot after, int added,
                                                         Map<Integer, Boolean> terminalById) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int x : Transitions.ids(before)) {
            count.merge(x, 1, Integer::sum);
        }
        count.merge(added, 1, Integer::sum);
        for (int x : Transitions.ids(after)) {
            count.merge(x, -1, Integer::sum);
        }
        int removed = -1;
        for (Map.Entry<Integer, Integer> e : count.entrySet()) {
            if (e.getValue() == 1) {
                assertEquals(-1, removed, "one transition is overwritten per add");
                removed = e.getKey();
            } else {
                assertEquals(0, e.getValue(), "transition " + e.getKey() + " appeared or vanished");
            }
        }
        if (terminalById.get(removed)) {
            for (int x : Transitions.ids(before)) {
                assertTrue(terminalById.get(x), "terminal " + removed + " overwritten while non-terminal " + x
                        + " was stored");
            }
        }
    }

    private static void assertSame(RotateByCopyModel model, BufferSnapshot s, String when) {
        assertEquals(model.size, s.size(), when);
        int[] expected = new int[model.size];
        float[] rewards = new float[model.size];
        float[] discounts = new float[model.size];
        for (int k = 0; k < model.size; k++) {
            int p = model.positionOfSnapshotRow(k);
            expected[k] = model.ids[p];
            rewards[k] = model.rewards[p];
            discounts[k] = model.terminal[p] ? 0f : (float) Transitions.GAMMA;
        }
        assertArrayEquals(expected, Transitions.ids(s), when);
        assertArrayEquals(rewards, s.rewards(), when);
        assertArrayEquals(discounts, s.discounts(), when);
        assertEquals(model.rewardScale, s.rewardScale(), when);
    }

    @Test
    void aLoneTerminalRotatesByTwo() {
        FadingReplayBuffer b = Fading.buffer(5, 1);
        for (int id = 0; id < 5; id++) {
            Transitions.add(b, id, 1, id == 1);
        }
        // full: [1T 2 3 4 0]; 1 is terminal and 0 is written next
        Transitions.add(b, 5, 1, false); // written over 0: [1T 2 3 4 5], then rotations: [2 3 4 5 1T] → [3 4 5 1T 2]
        assertArrayEquals(new int[] {2, 3, 4, 5, 1}, Transitions.ids(b.snapshot())); // the snapshot starts at N−1
        Transitions.add(b, 6, 1, false); // 2 is overwritten, the terminal 1 survives
        assertArrayEquals(new int[] {3, 4, 5, 1, 6}, Transitions.ids(b.snapshot()));
    }

    @Test
    void theFirstTransitionAfterTheFillIsWrittenOverTheNewestCopy() {
        FadingReplayBuffer b = Fading.buffer(6, 2);
        for (int id = 0; id < 3; id++) {
            Transitions.add(b, id, 1, false);
        }
        b.endExploration(); // [0 1 2 0 1 2], not rotated
        assertArrayEquals(new int[] {2, 0, 1, 2, 0, 1}, Transitions.ids(b.snapshot()));
        Transitions.add(b, 3, 1, false); // [0 1 2 0 1 3] → [1 2 0 1 3 0]
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 3}, Transitions.ids(b.snapshot()));
        assertFalse(b.snapshot().discounts()[0] == 0f);
    }
}
