package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.UpdateStats;
import org.symphonyrl.api.random.RandomStream;

/** snapshot → restore into a fresh agent → the same actions, the same warm-up and bit-identical updates. */
class SnapshotTest {

    private static final EnvSpec SPEC = Specs.spec(4, 3);

    @Test
    void aRestoredAgentActsAndLearnsBitForBitLikeTheOriginal() {
        RandomStream data = new RandomStream(11);
        SacConfig config = Specs.small("warmupSteps", 5);
        try (SacAgent original = new SacAgent(SPEC, config, 1);
             SacAgent fresh = new SacAgent(SPEC, config, 2)) {
            for (int i = 0; i < 3; i++) {
                original.update(Specs.batch(data, 12, 4, 3));
                original.act(new float[] {1, 2, 3, 4}, ActMode.TRAIN);
            }
            fresh.restore(original.snapshot());
            assertEquals(3, fresh.updates());
            assertEquals(3, fresh.steps());

            float[] obs = {0.5f, -0.5f, 1f, 0f};
            // two more warm-up actions (uniform), then policy samples: all from restored streams
            for (int i = 0; i < 4; i++) {
                for (ActMode mode : ActMode.values()) {
                    assertArrayEquals(original.act(obs, mode), fresh.act(obs, mode), mode + " " + i);
                }
            }
            for (int i = 0; i < 2; i++) {
                Batch next = Specs.batch(data, 12, 4, 3);
                UpdateStats expected = original.update(next);
                assertEquals(expected, fresh.update(next));
                assertEquals(original.metrics(), fresh.metrics());
            }
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
        try (SacAgent agent = new SacAgent(SPEC, Specs.small(), 1)) {
            agent.update(Specs.batch(new RandomStream(1), 12, 4, 3));
            AgentSnapshot s = agent.snapshot();
            assertEquals("sac", s.kind());
            for (String network : new String[] {"policy.", "q1.", "q2.", "target.q1.", "target.q2.",
                    "adam.m.policy.", "adam.v.q1.", "adam.m.q2."}) {
                for (String p : Mlp.NAMES) {
                    assertTrue(s.tensors().containsKey(network + p), network + p);
                }
            }
            assertTrue(s.tensors().containsKey("logAlpha") && s.tensors().containsKey("adam.m.logAlpha")
                    && s.tensors().containsKey("adam.v.logAlpha"));
            assertEquals(5 * 6 + 1 + 2 * (3 * 6 + 1), s.tensors().size(), "no other tensor: " + s.tensors().keySet());
            assertEquals(Map.of("updates", 1.0, "steps", 0.0, "adam.policy.steps", 1.0, "adam.critic.steps", 1.0,
                    "adam.alpha.steps", 1.0), s.scalars());
            assertEquals(12, s.randomState().length);
            float[] before = s.tensors().get("q1.w2").data().clone();
            agent.update(Specs.batch(new RandomStream(2), 12, 4, 3));
            assertArrayEquals(before, s.tensors().get("q1.w2").data(), "a snapshot is a copy");
        }
    }

    @Test
    void aBadSnapshotIsRefusedWithTheReasonAndChangesNothing() {
        try (SacAgent agent = new SacAgent(SPEC, Specs.small(), 1);
             SacAgent wider = new SacAgent(SPEC, Specs.small("hidden", 32), 1)) {
            AgentSnapshot before = agent.snapshot();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> agent.restore(wider.snapshot()));
            assertTrue(e.getMessage().contains("policy.w1") && e.getMessage().contains("same sizes"), e.getMessage());

            e = assertThrows(IllegalArgumentException.class, () -> agent.restore(new AgentSnapshot("symphony", 1,
                    before.tensors(), before.scalars(), before.randomState())));
            assertTrue(e.getMessage().contains("'symphony', expected 'sac'"), e.getMessage());

            Map<String, Tensor> missing = new HashMap<>(before.tensors());
            missing.remove("adam.v.logAlpha");
            e = assertThrows(IllegalArgumentException.class, () -> agent.restore(new AgentSnapshot("sac", 1, missing,
                    before.scalars(), before.randomState())));
            assertTrue(e.getMessage().contains("lacks tensor adam.v.logAlpha"), e.getMessage());

            Map<String, Double> badCount = new HashMap<>(before.scalars());
            badCount.put("adam.critic.steps", -1.0);
            e = assertThrows(IllegalArgumentException.class, () -> agent.restore(new AgentSnapshot("sac", 1,
                    before.tensors(), badCount, before.randomState())));
            assertTrue(e.getMessage().contains("adam.critic.steps is -1.0"), e.getMessage());

            long[] zeroStream = before.randomState().clone();
            java.util.Arrays.fill(zeroStream, 8, 12, 0L);
            assertThrows(IllegalArgumentException.class, () -> agent.restore(new AgentSnapshot("sac", 1,
                    before.tensors(), before.scalars(), zeroStream)));

            AgentSnapshot after = agent.snapshot();
            before.tensors().forEach((n, t) -> assertArrayEquals(t.data(), after.tensors().get(n).data(), n));
            assertEquals(before.scalars(), after.scalars());
            assertArrayEquals(before.randomState(), after.randomState());
        }
    }
}
