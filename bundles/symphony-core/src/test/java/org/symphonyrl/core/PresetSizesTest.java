package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentFactory;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;
import org.symphonyrl.presets.PresetCatalog;

/** Every shipped preset builds, through the factory, an agent with the sizes of docs/algorithm.md §1 and §6. */
class PresetSizesTest {

    /** Humanoid: S = 348, A = 17. */
    private static final EnvSpec HUMANOID = Tiny.spec(348, 17);

    @Test
    void everyPresetGivesTheSizesOfTheAlgorithm(@TempDir Path dir) throws IOException {
        // preset → {h, q, B}
        Map<String, int[]> expected = Map.of("S3", new int[] {512, 128, 384}, "SE", new int[] {512, 128, 384},
                "S2", new int[] {512, 128, 384}, "ED", new int[] {384, 96, 288}, "S2-tilde", new int[] {512, 128, 384});
        PresetCatalog catalog = new PresetCatalog();
        AgentFactory factory = new SymphonyAgentFactory();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".json");
            try (InputStream in = PresetCatalog.class.getResourceAsStream("/presets/" + e.getKey() + ".json")) {
                Files.copy(in, file);
            }
            Preset preset = catalog.read(file);
            Hyperparameters p = preset.hyperparameters();
            int h = e.getValue()[0];
            int q = e.getValue()[1];
            String name = preset.name();
            assertEquals(h, p.hidden(), name + " h");
            assertEquals(q, p.criticNodes(), name + " q");
            assertEquals(e.getValue()[2], p.batchSize(), name + " B");
            assertEquals(3 * q, p.totalCriticNodes(), name + " Q");
            try (Agent agent = factory.create(HUMANOID, p, 1)) {
                Map<String, org.symphonyrl.api.Tensor> t = agent.snapshot().tensors();
                assertArrayEquals(new long[] {h, 348}, t.get("actor.w1").shape(), name);
                assertArrayEquals(new long[] {h, h}, t.get("actor.w2").shape(), name);
                assertArrayEquals(new long[] {3 * 17, h}, t.get("actor.w3").shape(), name);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(new long[] {h, 348 + 17}, t.get("critic" + i + ".w1").shape(), name);
                    assertArrayEquals(new long[] {h, h}, t.get("critic" + i + ".w2").shape(), name);
                    assertArrayEquals(new long[] {q, h}, t.get("critic" + i + ".w3").shape(), name);
                    assertArrayEquals(new long[] {q, h}, t.get("target" + i + ".w3").shape(), name);
                    assertArrayEquals(new long[] {h}, t.get("critic" + i + ".s").shape(), name);
                }
                assertEquals(false, t.containsKey("critic3.w1"), name + ": three critics");
            }
        }
    }
}
