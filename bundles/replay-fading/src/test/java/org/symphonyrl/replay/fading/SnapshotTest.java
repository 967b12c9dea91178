package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.replay.storage.Transitions;

/** Snapshot → restore into a fading buffer: the same contents, order, scale and random stream. */
class SnapshotTest {

    /** A buffer after exploration and a few hundred steps with terminals. */
    private static FadingReplayBuffer busy(long seed) {
        FadingReplayBuffer b = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(64, 4), seed);
        Random rng = new Random(seed);
        for (int id = 0; id < 300; id++) {
            if (id == 16) {
                b.endExploration();
            }
            Transitions.add(b, id, rng.nextGaussian(), rng.nextInt(5) == 0);
        }
        return b;
    }

    @Test
    void aRestoredBufferGoesOnExactlyAsTheOriginal() {
        FadingReplayBuffer original = busy(1);
        FadingReplayBuffer copy = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(64, 4), 999);
        copy.restore(original.snapshot());
        Transitions.assertSameContents(original.snapshot(), copy.snapshot());
        Random rng = new Random(5);
        for (int id = 300; id < 500; id++) {
            boolean done = rng.nextInt(3) == 0;
            Transitions.add(original, id, 1.0, done);
            Transitions.add(copy, id, 1.0, done);
            Batch a = original.sample(16);
            Batch b = copy.sample(16);
            assertArrayEquals(a.states(), b.states(), "same draws after step " + id);
            assertArrayEquals(a.discounts(), b.discounts());
        }
        Transitions.assertSameContents(original.snapshot(), copy.snapshot());
    }

    @Test
    void aLargerBufferTakesTheSnapshotOldestFirstAndHasRoomLeft() {
        FadingReplayBuffer original = busy(2);
        BufferSnapshot s = original.snapshot();
        FadingReplayBuffer larger = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(100, 4), 1);
        larger.restore(s);
        assertEquals(64, larger.size());
        assertArrayEquals(Transitions.ids(s), Transitions.ids(larger.snapshot()));
        Transitions.add(larger, 1000, 1, false);
        int[] ids = Transitions.ids(larger.snapshot());
        assertEquals(1000, ids[64], "appended after the restored ones");
    }

    @Test
    void theSnapshotIsACopy() {
        FadingReplayBuffer b = busy(3);
        BufferSnapshot s = b.snapshot();
        s.states()[0] = -12345f;
        assertTrue(b.snapshot().states()[0] != -12345f);
    }

    @Test
    void aSnapshotThatDoesNotFitIsRefusedAndChangesNothing() {
        FadingReplayBuffer b = busy(4);
        BufferSnapshot good = busy(5).snapshot();
        refused(b, "observation size 3", () -> b.restore(new FadingReplayBuffer(Transitions.spec(3, 1),
                Transitions.params(8, 1), 1).snapshot()));
        refused(b, "capacity is 64", () -> {
            FadingReplayBuffer big = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(100, 1), 1);
            for (int id = 0; id < 65; id++) {
                Transitions.add(big, id, 1, false);
            }
            b.restore(big.snapshot());
        });
        float[] nan = good.states().clone();
        nan[7] = Float.NaN;
        refused(b, "states[7] is NaN", () -> b.restore(with(good, nan, good.discounts(), good.randomState())));
        float[] discounts = good.discounts().clone();
        discounts[3] = 1.5f;
        refused(b, "discounts[3] is 1.5", () -> b.restore(with(good, good.states(), discounts, good.randomState())));
        refused(b, "4 longs", () -> b.restore(with(good, good.states(), good.discounts(), new long[3])));
    }

    private static BufferSnapshot with(BufferSnapshot s, float[] states, float[] discounts, long[] random) {
        return new BufferSnapshot(s.kind(), s.observationSize(), s.actionSize(), s.capacity(), s.size(), states,
                s.actions(), s.rewards(), s.nextStates(), discounts, s.rewardScale(), s.explorationEnded(), random);
    }

    private static void refused(FadingReplayBuffer b, String expectedInMessage, Executable restore) {
        BufferSnapshot before = b.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, restore);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        Transitions.assertSameContents(before, b.snapshot());
    }
}
