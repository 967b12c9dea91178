package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.replay.storage.Transitions;

/** The end of exploration: r̄ = mean |r|, rewards divided by it, the data repeated {@code times} times. */
class ExplorationTest {

    @Test
    void rewardsAreDividedByTheMeanAbsoluteExplorationReward() {
        FadingReplayBuffer b = Fading.buffer(100, 10);
        double[] rewards = {2.0, -4.0, 0.5, -1.5, 0.0};
        for (int id = 0; id < rewards.length; id++) {
            Transitions.add(b, id, rewards[id], false);
        }
        assertEquals(1.0, b.rewardScale());
        assertArrayEquals(new float[] {2f, -4f, 0.5f, -1.5f, 0f}, b.snapshot().rewards(), "raw until the end");
        b.endExploration();
        // (2 + 4 + 0.5 + 1.5 + 0) / 5 = 1.6
        assertEquals(1.6, b.rewardScale(), 1e-15);
        assertTrue(b.explorationEnded());
        BufferSnapshot s = b.snapshot();
        assertEquals(50, s.size(), "5 transitions × 10 times");
        for (int k = 0; k < 50; k++) {
            assertEquals((float) (rewards[k % 5] / 1.6), s.rewards()[k], "row " + k);
        }
        Transitions.add(b, 5, 4.0, false);
        assertEquals(2.5f, b.snapshot().rewards()[50], "a later reward is divided on arrival");
    }

    @Test
    void allZeroExplorationRewardsKeepTheScale() {
        FadingReplayBuffer b = Fading.buffer(10, 2);
        Transitions.add(b, 0, 0.0, false);
        Transitions.add(b, 1, 0.0, true);
        b.endExploration();
        assertEquals(1.0, b.rewardScale());
        Transitions.add(b, 2, 3.0, false);
        assertEquals(3f, b.snapshot().rewards()[4]);
    }

    @Test
    void theRepetitionIsCutAtCapacity() {
        FadingReplayBuffer b = Fading.buffer(7, 3);
        for (int id = 0; id < 3; id++) {
            Transitions.add(b, id, 1, false);
        }
        b.endExploration();
        assertEquals(7, b.size());
        // positions [0 1 2 0 1 2 0]; the snapshot starts at the newest position, written over next
        assertArrayEquals(new int[] {0, 0, 1, 2, 0, 1, 2}, Transitions.ids(b.snapshot()));
    }

    @Test
    void aRepetitionShortOfCapacityLeavesRoom() {
        FadingReplayBuffer b = Fading.buffer(20, 3);
        for (int id = 0; id < 4; id++) {
            Transitions.add(b, id, 1, false);
        }
        b.endExploration();
        assertEquals(12, b.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, Transitions.ids(b.snapshot()));
        Transitions.add(b, 4, 1, false);
        assertEquals(13, b.size());
    }

    @Test
    void repetitionKeepsTerminalFlags() {
        FadingReplayBuffer b = Fading.buffer(8, 4);
        Transitions.add(b, 0, 1, false);
        Transitions.add(b, 1, 1, true);
        b.endExploration();
        BufferSnapshot s = b.snapshot();
        for (int k = 0; k < 8; k++) {
            boolean terminal = Transitions.ids(s)[k] == 1;
            assertEquals(terminal ? 0f : (float) Transitions.GAMMA, s.discounts()[k], "row " + k);
        }
    }

    @Test
    void endingExplorationTwiceOrEmptyIsAnError() {
        FadingReplayBuffer b = Fading.buffer(8, 4);
        IllegalStateException empty = assertThrows(IllegalStateException.class, b::endExploration);
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        assertFalse(b.explorationEnded());
        Transitions.add(b, 0, 1, false);
        b.endExploration();
        IllegalStateException twice = assertThrows(IllegalStateException.class, b::endExploration);
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());
    }
}
