package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.UpdateStats;
import org.symphonyrl.api.random.RandomStream;

/** snapshot → restore into a fresh agent → identical actions and identical next update. */
class SnapshotTest {

    private static final EnvSpec SPEC = Tiny.spec(4, 3);
    // dropout on, so the dropout stream's state is part of what must survive
    private static final Hyperparameters PARAMS = Tiny.params(16, 4, 3, 12).dropout(DropoutMode.FIXED)
            .dropoutRate(0.5).build();

    static Batch batch(RandomStream random, int b, int s, int a) {
        return new Batch(b, s, a, LimitedNoise.standardNormals(random, b * s),
                LimitedNoise.standardNormals(random, b * a), LimitedNoise.standardNormals(random, b),
                LimitedNoise.standardNormals(random, b * s), discounts(random, b));
    }

    private static float[] discounts(RandomStream random, int b) {
        float[] d = new float[b];
        for (int i = 0; i < b; i++) {
            d[i] = random.nextDouble() < 0.1 ? 0f : 0.99f;
        }
        return d;
    }

    @Test
    void aRestoredAgentActsAndLearnsExactlyLikeTheOriginal() {
        RandomStream data = new RandomStream(11);
        try (SymphonyAgent original = new SymphonyAgent(SPEC, PARAMS, 1);
             SymphonyAgent fresh = new SymphonyAgent(SPEC, PARAMS, 2)) {
            for (int i = 0; i < 3; i++) {
                original.update(batch(data, 12, 4, 3));
                original.act(new float[] {1, 2, 3, 4}, ActMode.TRAIN);
            }
            AgentSnapshot snapshot = original.snapshot();
            fresh.restore(snapshot);
            assertEquals(3, fresh.updates());

            float[] obs = {0.5f, -0.5f, 1f, 0f};
            for (ActMode mode : ActMode.values()) {
                assertArrayEquals(original.act(obs, mode), fresh.act(obs, mode), mode.toString());
            }
            Batch next = batch(data, 12, 4, 3);
            UpdateStats expected = original.update(next);
            UpdateStats actual = fresh.update(next);
            assertEquals(expected, actual);
            AgentSnapshot a = original.snapshot();
            AgentSnapshot b = fresh.snapshot();
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            a.tensors().forEach((name, t) -> assertArrayEquals(t.data(), b.tensors().get(name).data(), name));
            assertEquals(a.scalars(), b.scalars());
            assertArrayEquals(a.randomState(), b.randomState());
        }
    }

    @Test
    void theSnapshotHoldsEverythingThatDefinesTheAgent() {
        try (SymphonyAgent agent = new SymphonyAgent(SPEC, PARAMS, 1)) {
            agent.update(batch(new RandomStream(1), 12, 4, 3));
            AgentSnapshot s = agent.snapshot();
            assertEquals("symphony", s.kind());
            for (String prefix : new String[] {"actor.", "critic0.", "critic2.", "target1.", "adam.m.actor.",
                    "adam.v.critic1."}) {
                for (String p : FeedForward.NAMES) {
                    assertTrue(s.tensors().containsKey(prefix + p), prefix + p);
                }
            }
            assertFalse(s.tensors().keySet().stream().anyMatch(n -> n.startsWith("adam.m.target")),
                    "target parameters are not trained");
            assertEquals(1.0, s.scalars().get("updates"));
            assertTrue(s.scalars().get("movingAverage") != 0, "Q̄ moved after one update");
            assertEquals(12, s.randomState().length);
            // the snapshot is a copy: later updates do not change it
            float[] before = s.tensors().get("critic0.w2").data().clone();
            agent.update(batch(new RandomStream(2), 12, 4, 3));
            assertArrayEquals(before, s.tensors().get("critic0.w2").data());
        }
    }

    @Test
    void aBatchWithANonFiniteValueIsRefusedAndChangesNothing() {
        try (SymphonyAgent agent = new SymphonyAgent(SPEC, PARAMS, 1)) {
            AgentSnapshot before = agent.snapshot();
            Batch good = batch(new RandomStream(3), 12, 4, 3);
            float[] rewards = good.rewards().clone();
            rewards[5] = Float.NaN;
            Batch bad = new Batch(12, 4, 3, good.states(), good.actions(), rewards, good.nextStates(), good.discounts());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> agent.update(bad));
            assertTrue(e.getMessage().contains("rewards[5] is NaN"), e.getMessage());
            assertEquals(0, agent.updates());
            AgentSnapshot after = agent.snapshot();
            before.tensors().forEach((n, t) -> assertArrayEquals(t.data(), after.tensors().get(n).data(), n));
        }
    }

    @Test
    void aDivergedAgentRefusesTheStepAndKeepsItsState() {
        try (SymphonyAgent agent = new SymphonyAgent(SPEC, PARAMS, 1)) {
            AgentSnapshot healthy = agent.snapshot();
            Map<String, Tensor> tensors = new HashMap<>(healthy.tensors());
            Tensor b3 = tensors.get("critic1.b3");
            float[] infinite = b3.data().clone();
            infinite[0] = Float.POSITIVE_INFINITY;
            tensors.put("critic1.b3", new Tensor(b3.shape(), infinite));
            agent.restore(new AgentSnapshot("symphony", 1, tensors, healthy.scalars(), healthy.randomState()));
            AgentSnapshot before = agent.snapshot();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> agent.update(batch(new RandomStream(4), 12, 4, 3)));
            assertTrue(e.getMessage().contains("diverged"), e.getMessage());
            AgentSnapshot after = agent.snapshot();
            before.tensors().forEach((n, t) -> assertArrayEquals(t.data(), after.tensors().get(n).data(), n));
            assertEquals(before.scalars(), after.scalars());
            // the refused step leaves no poisoned gradient behind: a healthy state learns again
            agent.restore(healthy);
            UpdateStats stats = agent.update(batch(new RandomStream(4), 12, 4, 3));
            assertTrue(Double.isFinite(stats.loss()), "loss " + stats.loss());
            agent.snapshot().tensors().forEach((n, t) -> {
                for (float v : t.data()) {
                    assertTrue(Float.isFinite(v), n + " holds " + v);
                }
            });
        }
    }

    @Test
    void aSnapshotOfOtherSizesOrKindIsRefusedAndChangesNothing() {
        try (SymphonyAgent small = new SymphonyAgent(SPEC, Tiny.params(8, 4, 3, 12).build(), 1);
             SymphonyAgent agent = new SymphonyAgent(SPEC, PARAMS, 1)) {
            AgentSnapshot before = agent.snapshot();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> agent.restore(small.snapshot()));
            assertTrue(e.getMessage().contains("actor.w1") && e.getMessage().contains("same sizes"), e.getMessage());
            AgentSnapshot other = new AgentSnapshot("uniform", 1, before.tensors(), before.scalars(),
                    before.randomState());
            assertThrows(IllegalArgumentException.class, () -> agent.restore(other));
            Map<String, Tensor> missing = new HashMap<>(before.tensors());
            missing.remove("adam.v.critic2.s");
            e = assertThrows(IllegalArgumentException.class, () -> agent.restore(
                    new AgentSnapshot("symphony", 1, missing, before.scalars(), before.randomState())));
            assertTrue(e.getMessage().contains("adam.v.critic2.s"), e.getMessage());
            AgentSnapshot after = agent.snapshot();
            before.tensors().forEach((n, t) -> assertArrayEquals(t.data(), after.tensors().get(n).data(), n));
        }
    }
}
