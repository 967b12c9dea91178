package org.symphonyrl.replay.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;

/** Small specs, hyper-parameters and transitions for the replay tests (also used by replay-uniform's tests). */
public final class Transitions {

    public static final double GAMMA = 0.99;

    private Transitions() {
    }

    public static EnvSpec spec(int observationSize, int actionSize) {
        float[] lo = new float[observationSize];
        float[] hi = new float[observationSize];
        java.util.Arrays.fill(lo, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.POSITIVE_INFINITY);
        float[] alo = new float[actionSize];
        float[] ahi = new float[actionSize];
        java.util.Arrays.fill(alo, -1f);
        java.util.Arrays.fill(ahi, 1f);
        return new EnvSpec("Test-v0", lo, hi, alo, ahi, 1000);
    }

    /** S3's values except for what a buffer reads. */
    public static Hyperparameters params(int capacity, int times, boolean float16, double dimpleAmplitude, double dimpleWidth) {
        return Hyperparameters.builder()
                .explorationSteps(Math.max(1, capacity / times)).times(times).capacity(capacity)
                .hidden(512).criticNodes(128).critics(3).batchSize(384).updatesPerStep(3)
                .learningRate(1e-4).adamBeta1(0.618).adamBeta2(0.995).adamEpsilon(1e-8).weightDecay(0.01)
                .tau(0.005).gamma(GAMMA).emaAlpha(0.618).noiseStd(1 / Math.E).noiseClamp(Math.E)
                .dropout(DropoutMode.NONE).dropoutRate(0).dimpleAmplitude(dimpleAmplitude).dimpleWidth(dimpleWidth)
                .float16Storage(float16).episodeLimit(1000).fallMargin(50).evaluationInterval(2500)
                .evaluationEpisodes(25).actionMax(0).build();
    }

    public static Hyperparameters params(int capacity, int times) {
        return params(capacity, times, false, 0, 0);
    }

    /** Adds transition {@code id}: state (id, −id), action (id/1000), next state (id + 0.5, 0), reward {@code reward}. */
    public static void add(ReplayBuffer b, int id, double reward, boolean terminal) {
        b.add(new float[] {id, -id}, new float[] {id / 1000f}, reward, new float[] {id + 0.5f, 0}, terminal);
    }

    /** The ids held, in snapshot order (state[0] of each row). */
    public static int[] ids(BufferSnapshot s) {
        int[] ids = new int[s.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) s.states()[i * s.observationSize()];
        }
        return ids;
    }

    /** Same contents in the same order, same reward scale, phase and random stream (the kind may differ). */
    public static void assertSameContents(BufferSnapshot expected, BufferSnapshot actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.states(), actual.states());
        assertArrayEquals(expected.actions(), actual.actions());
        assertArrayEquals(expected.rewards(), actual.rewards());
        assertArrayEquals(expected.nextStates(), actual.nextStates());
        assertArrayEquals(expected.discounts(), actual.discounts());
        assertEquals(expected.rewardScale(), actual.rewardScale());
        assertEquals(expected.explorationEnded(), actual.explorationEnded());
        assertArrayEquals(expected.randomState(), actual.randomState());
    }
}
