package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.replay.storage.Transitions;

/** Bad input gets an error that names what was wrong, and nothing is stored. */
class BadInputTest {

    private final FadingReplayBuffer buffer = Fading.buffer(4, 1);

    private void refused(String expectedInMessage, Executable add) {
        BufferSnapshot before = buffer.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, add);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was stored"), e.getMessage());
        BufferSnapshot after = buffer.snapshot();
        assertEquals(before.size(), after.size());
        assertArrayEquals(before.states(), after.states());
        assertArrayEquals(before.rewards(), after.rewards());
    }

    @Test
    void wrongLengthsNonFiniteValuesAndNullsAreRefused() {
        for (int filled = 0; filled < 6; filled++) { // while filling and once full
            float[] s = {1, 2};
            float[] a = {0.5f};
            refused("state has length 3, expected 2", () -> buffer.add(new float[3], a, 1, s, false));
            refused("action has length 2, expected 1", () -> buffer.add(s, new float[2], 1, s, false));
            refused("nextState has length 1, expected 2", () -> buffer.add(s, a, 1, new float[1], false));
            refused("state[1] is NaN", () -> buffer.add(new float[] {0, Float.NaN}, a, 1, s, false));
            refused("action[0] is Infinity", () -> buffer.add(s, new float[] {Float.POSITIVE_INFINITY}, 1, s, false));
            refused("nextState[0] is -Infinity", () -> buffer.add(s, a, 1, new float[] {Float.NEGATIVE_INFINITY, 0}, false));
            refused("reward is NaN", () -> buffer.add(s, a, Double.NaN, s, false));
            refused("reward is Infinity", () -> buffer.add(s, a, Double.POSITIVE_INFINITY, s, false));
            refused("state is null", () -> buffer.add(null, a, 1, s, false));
            Transitions.add(buffer, filled, 1, false);
        }
    }

    @Test
    void samplingAnEmptyBufferIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> buffer.sample(3));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Transitions.add(buffer, 0, 1, false);
        assertThrows(IllegalArgumentException.class, () -> buffer.sample(0));
        assertEquals(3, buffer.sample(3).size());
    }

    @Test
    void aValueBeyondFloat16IsRefusedByAFloat16Buffer() {
        FadingReplayBuffer half = new FadingReplayBuffer(Transitions.spec(2, 1), Transitions.params(4, 1, true, 0, 0), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> half.add(new float[] {0, 70000f}, new float[] {0}, 1, new float[] {0, 0}, false));
        assertTrue(e.getMessage().contains("state[1] is 70000.0, beyond float16"), e.getMessage());
        assertEquals(0, half.size());
        half.add(new float[] {0, 65504f}, new float[] {0}, 1, new float[] {0, -65519f}, false);
        assertEquals(1, half.size());
    }
}
