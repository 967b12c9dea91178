package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.UpdateStats;

/**
 * Full updates on tiny sizes from fixed weights, batches, noise and dropout masks: the loss, the
 * statistics and every parameter afterwards (online, target, both optimiser moments) equal
 * golden.py's within 1e-5 relative. The target critics' values also prove that Polyak averages
 * the critics and nothing else. Garbage collections run all the while: a tensor whose memory
 * belongs to a freed Java buffer (as DJL's {@code mul(Number)} leaves behind) would corrupt them.
 */
class UpdateGoldenTest {

    @Test
    void twoConsecutiveUpdatesWithoutDropout() throws InterruptedException {
        underGarbageCollection(() -> check("update", DropoutMode.NONE));
    }

    @Test
    void oneUpdateWithGradientDropoutAndTheDimpledTargetWeights() throws InterruptedException {
        underGarbageCollection(() -> check("update-dropout", DropoutMode.FIXED));
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

    private static void check(String name, DropoutMode dropout) {
        JsonObject fixture = Golden.load(name);
        JsonObject sizes = fixture.getAsJsonObject("sizes");
        int s = sizes.get("S").getAsInt();
        int a = sizes.get("A").getAsInt();
        int k = sizes.get("critics").getAsInt();
        int q = sizes.get("q").getAsInt();
        int b = sizes.get("B").getAsInt();
        JsonObject hp = fixture.getAsJsonObject("hyperparameters");
        Hyperparameters params = Tiny.params(sizes.get("h").getAsInt(), q, k, b)
                .dropout(dropout).dropoutRate(dropout == DropoutMode.FIXED ? 0.5 : 0)
                .dimpleAmplitude(hp.get("dimpleAmplitude").getAsDouble())
                .dimpleWidth(hp.get("dimpleWidth").getAsDouble())
                .build();
        try (SymphonyAgent agent = new SymphonyAgent(Tiny.spec(s, a), params, 1)) {
            AgentSnapshot fresh = agent.snapshot();
            Map<String, Tensor> tensors = new HashMap<>(fresh.tensors());
            for (Map.Entry<String, JsonElement> e : fixture.getAsJsonObject("initial").entrySet()) {
                assertTrue(tensors.containsKey(e.getKey()), "agent has no tensor " + e.getKey());
                tensors.put(e.getKey(), Golden.tensor(e.getValue()));
            }
            agent.restore(new AgentSnapshot(fresh.kind(), fresh.formatVersion(), tensors, fresh.scalars(),
                    fresh.randomState()));

            int step = 0;
            for (JsonElement element : fixture.getAsJsonArray("updates")) {
                JsonObject u = element.getAsJsonObject();
                Batch batch = new Batch(b, s, a, data(u, "states"), data(u, "actions"), data(u, "rewards"),
                        data(u, "nextStates"), data(u, "discounts"));
                JsonObject masks = u.getAsJsonObject("masks");
                UpdateDraws draws = masks == null
                        ? new UpdateDraws(data(u, "normal"), null, null, null)
                        : new UpdateDraws(data(u, "normal"), data(masks, "actor"), data(masks, "target"),
                                data(masks, "critic"));
                UpdateStats stats = agent.update(batch, draws);
                String at = name + " update " + step++ + ": ";
                JsonObject expected = u.getAsJsonObject("stats");
                Golden.assertClose(at + "loss", expected.get("loss").getAsDouble(), stats.loss());
                Golden.assertClose(at + "mean σ", expected.get("meanSigma").getAsDouble(), stats.meanSigma());
                Golden.assertClose(at + "mean β", expected.get("meanBeta").getAsDouble(), stats.meanBeta());
                Golden.assertClose(at + "advantage", expected.get("advantage").getAsDouble(), stats.advantage());
                Golden.assertClose(at + "Q̄", expected.get("qAverage").getAsDouble(), stats.qAverage());

                Map<String, Tensor> after = agent.snapshot().tensors();
                JsonObject expectedAfter = u.getAsJsonObject("after");
                assertEquals(expectedAfter.keySet(), after.keySet(), at + "tensor names");
                for (String tensor : expectedAfter.keySet()) {
                    Golden.assertClose(at + tensor, Golden.doubles(expectedAfter.getAsJsonObject(tensor)),
                            after.get(tensor).data());
                }
            }
            assertEquals(fixture.getAsJsonArray("updates").size(), agent.updates());
        }
    }

    private static float[] data(JsonObject o, String field) {
        return Golden.data(o.getAsJsonObject(field));
    }
}
