package org.symphonyrl.replay.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.replay.fading.FadingReplayBuffer;
import org.symphonyrl.replay.storage.Transitions;

/** A hot swap in both directions: contents, order, reward scale and random stream survive. */
class CrossKindSnapshotTest {

    private static final int CAPACITY = 48;

    private static FadingReplayBuffer fading(long seed) {
        return new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(CAPACITY, 4), seed);
    }

    private static UniformReplayBuffer uniform(long seed) {
        return new UniformReplayBuffer(Transitions.spec(2, 1), Transitions.params(CAPACITY, 4), seed);
    }

    private static void run(ReplayBuffer b, int from, int to, long seed) {
        Random rng = new Random(seed);
        for (int id = from; id < to; id++) {
            if (id == 12 && !b.explorationEnded()) {
                b.endExploration();
            }
            Transitions.add(b, id, rng.nextGaussian(), rng.nextInt(6) == 0);
        }
    }

    @Test
    void fadingToUniformAndBackLosesNothing() {
        FadingReplayBuffer original = fading(1);
        run(original, 0, 200, 1);
        BufferSnapshot s = original.snapshot();

        UniformReplayBuffer swapped = uniform(2);
        swapped.restore(s);
        assertEquals("uniform", swapped.snapshot().kind());
        Transitions.assertSameContents(s, swapped.snapshot());

        FadingReplayBuffer back = fading(3);
        back.restore(swapped.snapshot());
        Transitions.assertSameContents(s, back.snapshot());
        // and it goes on as if nothing had happened
        run(original, 200, 300, 7);
        run(back, 200, 300, 7);
        Transitions.assertSameContents(original.snapshot(), back.snapshot());
        Batch a = original.sample(64);
        Batch b = back.sample(64);
        assertArrayEquals(a.states(), b.states());
        assertArrayEquals(a.rewards(), b.rewards());
    }

    @Test
    void fadingToUniformAndBackIsExactInEveryStateOfARandomRun() {
        Random rng = new Random(3);
        for (int run = 0; run < 20; run++) {
            int capacity = 1 + rng.nextInt(9);
            FadingReplayBuffer f = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, 3), run);
            int exploration = 1 + rng.nextInt(2 * capacity);
            for (int id = 0; id < exploration + 60; id++) {
                if (id == exploration) {
                    f.endExploration();
                }
                Transitions.add(f, id, rng.nextGaussian(), rng.nextInt(3) == 0);
                BufferSnapshot s = f.snapshot();
                UniformReplayBuffer u = new UniformReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, 3), 1);
                u.restore(s);
                Transitions.assertSameContents(s, u.snapshot());
                FadingReplayBuffer back = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, 3), 2);
                back.restore(u.snapshot());
                Transitions.assertSameContents(s, back.snapshot());
            }
        }
    }

    @Test
    void uniformToFadingAndBackLosesNothing() {
        UniformReplayBuffer original = uniform(1);
        run(original, 0, 150, 2);
        BufferSnapshot s = original.snapshot();
        FadingReplayBuffer swapped = fading(2);
        swapped.restore(s);
        UniformReplayBuffer back = uniform(3);
        back.restore(swapped.snapshot());
        Transitions.assertSameContents(s, back.snapshot());
        run(original, 150, 220, 9);
        run(back, 150, 220, 9);
        Transitions.assertSameContents(original.snapshot(), back.snapshot());
    }

    @Test
    void theFadingBufferTakesAUniformSnapshotInItsOrderAndAppliesItsRuleOnTheNextAdd() {
        UniformReplayBuffer u = uniform(1);
        for (int id = 0; id < CAPACITY + 3; id++) {
            Transitions.add(u, id, 1, id == 3 || id == 4); // after the wrap, the terminals 3 and 4 are the oldest
        }
        BufferSnapshot s = u.snapshot();
        assertEquals(3, Transitions.ids(s)[0]);
        FadingReplayBuffer f = fading(2);
        f.restore(s);
        Transitions.assertSameContents(s, f.snapshot()); // not rotated: 3 is written next, as in the uniform buffer
        // 3 is written over; then the oldest, 4, is terminal: left by two, 4 kept at N−2, 5 written next
        Transitions.add(f, 1000, 1, false);
        int[] expected = new int[CAPACITY]; // snapshot order: 5 (written next), 6 … 50, 1000, 4
        for (int k = 0; k < CAPACITY - 2; k++) {
            expected[k] = 5 + k;
        }
        expected[CAPACITY - 2] = 1000;
        expected[CAPACITY - 1] = 4;
        assertArrayEquals(expected, Transitions.ids(f.snapshot()));
    }

    @Test
    void afterASwapTheOldestIsOverwrittenFirst() {
        UniformReplayBuffer u = uniform(1);
        for (int id = 0; id < CAPACITY + 5; id++) {
            Transitions.add(u, id, 1, false);
        }
        int oldest = Transitions.ids(u.snapshot())[0];
        FadingReplayBuffer f = fading(2);
        f.restore(u.snapshot());
        Transitions.add(f, 1000, 1, false);
        int[] ids = Transitions.ids(f.snapshot());
        for (int id : ids) {
            assertEquals(false, id == oldest, "the oldest transition " + oldest + " is gone");
        }
        assertEquals(CAPACITY, ids.length);

        int next = Transitions.ids(f.snapshot())[0]; // what the fading buffer writes over next
        UniformReplayBuffer u2 = uniform(3);
        u2.restore(f.snapshot());
        Transitions.add(u2, 2000, 1, false);
        for (int id : Transitions.ids(u2.snapshot())) {
            assertEquals(false, id == next, "the fading buffer's next victim " + next + " is gone");
        }
    }
}
