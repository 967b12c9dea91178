package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonyrl.sac.SacGolden.floats;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.UpdateStats;

/**
 * Two consecutive full updates on tiny sizes (S 3, A 2, h 8, B 4) from fixed weights, batches and noise:
 * the metrics and every tensor afterwards (online and target networks, log α, the three optimisers'
 * moments) equal sac_golden.py's independent float64 PyTorch within {@link Approx}'s float32 bar. Every knob
 * of the configuration differs from its default, so the test also proves each one is read. Garbage
 * collections run all the while: a tensor whose memory belongs to a freed Java buffer (as DJL's
 * {@code mul(Number)} leaves behind) would corrupt the gradients.
 */
class UpdateGoldenTest {

    @Test
    void twoUpdatesMatchTheIndependentPyTorchSac() throws InterruptedException {
        underGarbageCollection(UpdateGoldenTest::check);
    }

    @Test
    void theConfigurationSetsTheInitialTemperature() {
        try (SacAgent agent = new SacAgent(spec(), SacConfigs.from(SacGolden.CONFIG), 1)) {
            float[] logAlpha = agent.snapshot().tensors().get("logAlpha").data();
            assertEquals((float) Math.log(0.5), logAlpha[0], 0f);
            assertEquals(-3.0, agent.temperature().targetEntropy(), 0, "−1.5·|A|");
        }
    }

    private static org.symphonyrl.api.EnvSpec spec() {
        return Specs.spec(SacGolden.S, SacGolden.ACTION_LOW, SacGolden.ACTION_HIGH);
    }

    private static void check() {
        try (SacAgent agent = new SacAgent(spec(), SacConfigs.from(SacGolden.CONFIG), 1)) {
            AgentSnapshot fresh = agent.snapshot();
            Map<String, Tensor> tensors = new HashMap<>(fresh.tensors());
            SacGolden.INITIAL.forEach((name, values) -> {
                assertTrue(tensors.containsKey(name), "agent has no tensor " + name);
                tensors.put(name, new Tensor(tensors.get(name).shape(), floats(values)));
            });
            Set<String> notGiven = tensors.keySet().stream().filter(n -> !SacGolden.INITIAL.containsKey(n))
                    .collect(Collectors.toSet());
            assertTrue(notGiven.stream().allMatch(n -> n.startsWith("adam.")), "only the moments start at 0: " + notGiven);
            agent.restore(new AgentSnapshot(fresh.kind(), fresh.formatVersion(), tensors, fresh.scalars(),
                    fresh.randomState()));

            int step = 0;
            for (SacGolden.Update u : SacGolden.UPDATES) {
                Batch batch = new Batch(SacGolden.B, SacGolden.S, SacGolden.A, floats(u.states()), floats(u.actions()),
                        floats(u.rewards()), floats(u.nextStates()), floats(u.discounts()));
                UpdateStats stats = agent.update(batch, new SacDraws(floats(u.nextNoise()), floats(u.noise())));
                String at = "update " + step++ + ": ";
                u.metrics().forEach((name, expected) ->
                        Approx.assertClose(at + name, expected, agent.metrics().get(name)));
                assertEquals(u.metrics().keySet(), agent.metrics().keySet(), at + "metric names");
                assertEquals(agent.metrics().get("criticLoss"), stats.loss(), 0, at + "the api's loss is J_Q");
                assertTrue(Double.isNaN(stats.meanSigma()) && Double.isNaN(stats.meanBeta())
                        && Double.isNaN(stats.advantage()) && Double.isNaN(stats.qAverage()), at + "Symphony's fields");

                Map<String, Tensor> after = agent.snapshot().tensors();
                assertEquals(u.after().keySet(), after.keySet(), at + "tensor names");
                u.after().forEach((name, expected) ->
                        Approx.assertClose(at + name, SacGolden.values(expected), after.get(name).data()));
            }
            assertEquals(SacGolden.UPDATES.length, agent.updates());
            Map<String, Double> scalars = agent.snapshot().scalars();
            for (String adam : new String[] {SacState.POLICY_ADAM, SacState.CRITIC_ADAM, SacState.ALPHA_ADAM}) {
                assertEquals(SacGolden.UPDATES.length, scalars.get(adam), adam);
            }
        }
    }

    /** Runs {@code check} several times while another thread keeps collecting garbage. */
    static void underGarbageCollection(Runnable check) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (running.get()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        collector.setDaemon(true);
        collector.start();
        try {
            for (int i = 0; i < 3; i++) {
                check.run();
            }
        } finally {
            running.set(false);
            collector.join();
        }
    }
}
