package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.random.RandomStream;

/** A batch the agent cannot learn from is refused with the reason and leaves the agent as it was. */
class UpdateInputTest {

    @Test
    void aNonFiniteValueIsRefused() {
        refused(b -> b.rewards()[5] = Float.NaN, "batch field rewards[5] is NaN");
        refused(b -> b.nextStates()[7] = Float.POSITIVE_INFINITY, "batch field nextStates[7] is Infinity");
    }

    @Test
    void aDiscountThatIsNeitherZeroNorGammaIsRefused() {
        refused(b -> b.discounts()[2] = 0.95f, "discounts[2] is 0.95; a discount is γ·(1 − done), 0 or γ = 0.99");
    }

    @Test
    void aBatchOfOtherSizesIsRefused() {
        try (SacAgent agent = new SacAgent(Specs.spec(4, 3), Specs.small(), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> agent.update(Specs.batch(new RandomStream(1), 12, 5, 3)));
            assertTrue(e.getMessage().contains("observation size 5 and action size 3, the agent expects 4 and 3"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> agent.update(Specs.batch(new RandomStream(1), 0, 4, 3)));
            assertTrue(e.getMessage().contains("batch is empty"), e.getMessage());
        }
    }

    @Test
    void aDivergingUpdateStopsBeforeItChangesAnything() {
        try (SacAgent agent = new SacAgent(Specs.spec(4, 3), Specs.small(), 1)) {
            AgentSnapshot before = agent.snapshot();
            Batch batch = Specs.batch(new RandomStream(2), 12, 4, 3);
            batch.rewards()[0] = 1e30f; // (Q − y)² overflows float32
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> agent.update(batch));
            assertTrue(e.getMessage().contains("the critic loss is Infinity") && e.getMessage().contains("nothing was changed"),
                    e.getMessage());
            unchanged(before, agent);
            // and the next good batch learns from clean gradients, exactly as a fresh agent would
            try (SacAgent fresh = new SacAgent(Specs.spec(4, 3), Specs.small(), 1)) {
                Batch good = Specs.batch(new RandomStream(3), 12, 4, 3);
                assertEquals(fresh.update(good, new SacDraws(new float[36], new float[36])),
                        agent.update(good, new SacDraws(new float[36], new float[36])));
                assertEquals(fresh.metrics(), agent.metrics());
            }
        }
    }

    @Test
    void aClosedAgentSaysSo() {
        SacAgent agent = new SacAgent(Specs.spec(4, 3), Specs.small(), 1);
        agent.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> agent.act(new float[4], ActMode.TRAIN));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        agent.close(); // twice is harmless
    }

    @Test
    void aConfigurationOutOfRangeIsRefusedAtConstruction() {
        SacConfig bad = new SacConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return SacConfig.class;
            }

            @Override public int hidden() { return 0; }
            @Override public double actorLearningRate() { return 3e-4; }
            @Override public double criticLearningRate() { return 3e-4; }
            @Override public double alphaLearningRate() { return 3e-4; }
            @Override public double gamma() { return 0.99; }
            @Override public double tau() { return 0.005; }
            @Override public int batchSize() { return 256; }
            @Override public int updatesPerStep() { return 1; }
            @Override public int warmupSteps() { return 0; }
            @Override public double initialAlpha() { return 1; }
            @Override public double targetEntropyScale() { return 1; }
            @Override public double logStdMin() { return -20; }
            @Override public double logStdMax() { return 2; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SacAgent(Specs.spec(4, 3), bad, 1));
        assertTrue(e.getMessage().contains("'hidden' is 0"), e.getMessage());
    }

    private static void refused(Consumer<Batch> spoil, String message) {
        try (SacAgent agent = new SacAgent(Specs.spec(4, 3), Specs.small(), 1)) {
            AgentSnapshot before = agent.snapshot();
            Batch batch = Specs.batch(new RandomStream(3), 12, 4, 3);
            spoil.accept(batch);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> agent.update(batch));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            unchanged(before, agent);
        }
    }

    private static void unchanged(AgentSnapshot before, SacAgent agent) {
        AgentSnapshot after = agent.snapshot();
        before.tensors().forEach((n, t) -> assertArrayEquals(t.data(), after.tensors().get(n).data(), n));
        assertEquals(before.scalars(), after.scalars());
        assertEquals(0, agent.updates());
    }
}
