package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.replay.storage.Transitions;

/**
 * The pointer-moving buffer against the rotate-by-copy description (docs/algorithm.md §4), step by
 * step, and small cases worked out by hand. In the hand cases a list shows logical positions 0 … N−1
 * (oldest first), "T" marks a terminal; a snapshot lists the same order starting at N−1.
 */
class FadingOrderTest {

    /** (rate, stay) of the inflows: none, rare, frequent, long runs, almost only terminals. */
    private static final double[][] INFLOWS = {
        {0, 0}, {0.1, 0.1}, {0.1, 0.7}, {0.4, 0.4}, {0.3, 0.95}, {0.9, 0.9}, {0.5, 0.8},
    };

    @Test
    void matchesTheRotateByCopyModelAfterEveryStepAndRestoresItself() {
        Random rng = new Random(20261125);
        int steps = 0;
        int byTwo = 0;
        int terminalBehindTerminal = 0;
        for (int run = 0; run < 126; run++) {
            int capacity = 1 + rng.nextInt(12);
            int times = 1 + rng.nextInt(4);
            double[] inflow = INFLOWS[run % INFLOWS.length];
            TerminalInflow terminals = new TerminalInflow(run, inflow[0], inflow[1]);
            FadingReplayBuffer buffer = Fading.buffer(capacity, times);
            RotateByCopyModel model = new RotateByCopyModel(capacity, times);
            int exploration = 1 + rng.nextInt(2 * capacity);
            for (int id = 0; id < exploration + 200; id++) {
                if (id == exploration) {
                    buffer.endExploration();
                    model.endExploration();
                    assertSame(model, buffer.snapshot(), "after endExploration");
                }
                double reward = Math.round((rng.nextDouble() * 6 - 3) * 4) / 4.0;
                boolean done = terminals.next();
                BufferSnapshot before = buffer.snapshot();
                Transitions.add(buffer, id, reward, done);
                model.add(id, reward, done);
                String when = "run " + run + " (N " + capacity + ", " + terminals + ") add of id " + id;
                BufferSnapshot after = buffer.snapshot();
                assertSame(model, after, when);
                assertSamePositionsDrawn(model, buffer, when);
                // a checkpoint restored into a new buffer snapshots back bit for bit
                FadingReplayBuffer restored = Fading.buffer(capacity, times);
                restored.restore(after);
                Transitions.assertSameContents(after, restored.snapshot());
                if (before.size() == capacity) {
                    assertOnlyTheSlotWrittenNextIsLost(before, after, id, when);
                }
                steps++;
            }
            byTwo += model.rotationsByTwo;
            terminalBehindTerminal += model.terminalDroppedBehindTerminal;
        }
        assertTrue(steps > 25_000, "exercised " + steps + " steps");
        assertTrue(byTwo > 10_000, "rotations by two: " + byTwo);
        assertTrue(terminalBehindTerminal > 5_000, "terminals dropped behind a terminal oldest: " + terminalBehindTerminal);
    }

    /**
     * The draws of the buffer are the model's transitions at the logical positions the sampler drew: a
     * probe buffer holding its own position numbers as ids, with the same random state, draws the
     * positions.
     */
    private static void assertSamePositionsDrawn(RotateByCopyModel model, FadingReplayBuffer buffer, String when) {
        BufferSnapshot s = buffer.snapshot();
        float[] states = s.states().clone();
        for (int k = 0; k < s.size(); k++) {
            states[k * s.observationSize()] = model.positionOfSnapshotRow(k);
        }
        FadingReplayBuffer probe = Fading.buffer(model.capacity, 1);
        probe.restore(new BufferSnapshot(s.kind(), s.observationSize(), s.actionSize(), s.capacity(), s.size(), states,
                s.actions(), s.rewards(), s.nextStates(), s.discounts(), s.rewardScale(), s.explorationEnded(),
                s.randomState()));
        Batch positions = probe.sample(8);
        Batch drawn = buffer.sample(8);
        for (int j = 0; j < 8; j++) {
            int position = (int) positions.states()[2 * j];
            assertEquals(model.ids[position], (int) drawn.states()[2 * j], when + ", draw " + j + " at position " + position);
        }
    }

    /** Per add exactly one transition goes, the one at N−1 before the add (snapshot row 0), terminal or not. */
    private static void assertOnlyTheSlotWrittenNextIsLost(BufferSnapshot before, BufferSnapshot after, int added,
                                                           String when) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int x : Transitions.ids(before)) {
            count.merge(x, 1, Integer::sum);
        }
        count.merge(added, 1, Integer::sum);
        count.merge(Transitions.ids(before)[0], -1, Integer::sum);
        for (int x : Transitions.ids(after)) {
            count.merge(x, -1, Integer::sum);
        }
        count.values().forEach(c -> assertEquals(0, c, when + ": " + count));
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

    /** Adds ids {@code from … to−1}, terminal where {@code terminal} says. */
    private static void add(FadingReplayBuffer b, int from, int to, int... terminal) {
        for (int id = from; id < to; id++) {
            boolean done = false;
            for (int t : terminal) {
                done |= t == id;
            }
            Transitions.add(b, id, 1, done);
        }
    }

    /** Logical positions 0 … N−1 of a full buffer, from its snapshot (which starts at N−1). */
    private static int[] positions(FadingReplayBuffer b) {
        int[] rows = Transitions.ids(b.snapshot());
        int n = rows.length;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = rows[(i + 1) % n];
        }
        return p;
    }

    @Test
    void aLoneTerminalOldestRotatesByTwoAndDropsTheOneBehindIt() {
        FadingReplayBuffer b = Fading.buffer(5, 1);
        add(b, 0, 5, 1); // the add that fills: [0 1T 2 3 4], oldest 0 → by one
        assertArrayEquals(new int[] {1, 2, 3, 4, 0}, positions(b), "0 is written next");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Transitions.ids(b.snapshot()), "the snapshot starts at N−1");
        add(b, 5, 6); // [1T 2 3 4 5], oldest 1T → by two
        assertArrayEquals(new int[] {3, 4, 5, 1, 2}, positions(b), "1T at N−2, 2 written next");
        add(b, 6, 7); // [3 4 5 1T 6] → by one
        assertArrayEquals(new int[] {4, 5, 1, 6, 3}, positions(b), "2 is gone");
        add(b, 7, 9); // [4 5 1T 6 7] → [5 1T 6 7 4]; [5 1T 6 7 8] → [1T 6 7 8 5]
        assertArrayEquals(new int[] {1, 6, 7, 8, 5}, positions(b));
        add(b, 9, 10); // [1T 6 7 8 9], oldest 1T again → by two
        assertArrayEquals(new int[] {7, 8, 9, 1, 6}, positions(b), "1T kept a second time, 6 written next");
    }

    @Test
    void ofTwoAdjacentTerminalsTheSecondIsDropped() {
        FadingReplayBuffer b = Fading.buffer(5, 1);
        add(b, 0, 5, 1, 2); // [0 1T 2T 3 4] → by one
        assertArrayEquals(new int[] {1, 2, 3, 4, 0}, positions(b));
        add(b, 5, 6); // [1T 2T 3 4 5] → by two
        assertArrayEquals(new int[] {3, 4, 5, 1, 2}, positions(b), "2T, terminal too, is written next");
        add(b, 6, 7); // [3 4 5 1T 6] → by one
        assertArrayEquals(new int[] {4, 5, 1, 6, 3}, positions(b), "2T is gone");
        assertEquals(1, Fading.terminals(b));
    }

    @Test
    void aBufferOfTerminalsLetsEveryOtherOneGo() {
        FadingReplayBuffer b = Fading.buffer(5, 1);
        add(b, 0, 5, 0, 1, 2, 3, 4); // [0T 1T 2T 3T 4T] → by two
        assertArrayEquals(new int[] {2, 3, 4, 0, 1}, positions(b));
        add(b, 5, 6); // [2T 3T 4T 0T 5] → by two
        assertArrayEquals(new int[] {4, 0, 5, 2, 3}, positions(b));
        add(b, 6, 7); // [4T 0T 5 2T 6] → by two
        assertArrayEquals(new int[] {5, 2, 6, 4, 0}, positions(b));
        add(b, 7, 8); // [5 2T 6 4T 7] → by one
        assertArrayEquals(new int[] {2, 6, 4, 7, 5}, positions(b));
        add(b, 8, 9); // [2T 6 4T 7 8] → by two
        assertArrayEquals(new int[] {4, 7, 8, 2, 6}, positions(b));
        add(b, 9, 10); // [4T 7 8 2T 9] → by two
        assertArrayEquals(new int[] {8, 2, 9, 4, 7}, positions(b), "terminals and new transitions alternate");
        assertEquals(2, Fading.terminals(b));
    }

    @Test
    void theFillIsNotRotatedAndTheFirstAddAfterItChecksTheOldest() {
        FadingReplayBuffer b = Fading.buffer(5, 3);
        add(b, 0, 2, 0);
        b.endExploration(); // [0T 1 0T 1 0T]: no rotation, although the oldest is terminal
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, positions(b));
        add(b, 2, 3); // [0T 1 0T 1 2] → by two
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, positions(b));
        add(b, 3, 4); // [0T 1 2 0T 3] → by two
        assertArrayEquals(new int[] {2, 0, 3, 0, 1}, positions(b));
        add(b, 4, 5); // [2 0T 3 0T 4] → by one
        assertArrayEquals(new int[] {0, 3, 0, 4, 2}, positions(b));
    }

    @Test
    void theFirstTransitionAfterTheFillIsWrittenOverTheNewestCopy() {
        FadingReplayBuffer b = Fading.buffer(6, 2);
        add(b, 0, 3);
        b.endExploration(); // [0 1 2 0 1 2], not rotated
        assertArrayEquals(new int[] {2, 0, 1, 2, 0, 1}, Transitions.ids(b.snapshot()));
        add(b, 3, 4); // [0 1 2 0 1 3] → [1 2 0 1 3 0]
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 3}, Transitions.ids(b.snapshot()));
    }

    @Test
    void withTwoSlotsRotatingByTwoKeepsTheOrder() {
        // torch.roll by −2 of two elements is the identity: the terminal stays oldest, each new one is written next
        FadingReplayBuffer b = Fading.buffer(2, 1);
        add(b, 0, 2, 0); // [0T 1] → by two = unchanged
        assertArrayEquals(new int[] {0, 1}, positions(b));
        add(b, 2, 3); // [0T 2]
        assertArrayEquals(new int[] {0, 2}, positions(b));
        FadingReplayBuffer one = Fading.buffer(1, 1);
        add(one, 0, 2, 0); // a single slot: every add writes over the one before
        assertArrayEquals(new int[] {1}, Transitions.ids(one.snapshot()));
    }

    @Test
    void aRestoreKeepsTheSnapshotsOrderAndTheNextAddAppliesTheRule() {
        FadingReplayBuffer b = Fading.buffer(5, 1);
        add(b, 0, 5, 1, 2);
        add(b, 5, 6); // [3 4 5 1T 2T]: a terminal is written next
        FadingReplayBuffer restored = Fading.buffer(5, 1);
        restored.restore(b.snapshot());
        assertArrayEquals(new int[] {3, 4, 5, 1, 2}, positions(restored), "restored as it was, not rotated");
        add(restored, 6, 7); // [3 4 5 1T 6] → by one
        assertArrayEquals(new int[] {4, 5, 1, 6, 3}, positions(restored));
    }
}
