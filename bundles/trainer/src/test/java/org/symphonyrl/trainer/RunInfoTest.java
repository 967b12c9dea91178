package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.EnvSpec;

/** run.json records the environment's spec for new runs; a run.json written before it still reads. */
class RunInfoTest {

    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void theEnvironmentsSpecRoundTripsWithInfiniteBounds(@TempDir Path dir) throws Exception {
        EnvSpec spec = new EnvSpec("Hopper-v5", new float[] {-INF, -INF}, new float[] {INF, 10}, new float[] {-1, -1},
                new float[] {1, 1}, 1000);
        RunInfo info = new RunInfo(1, List.of("symphony", "train"), "Hopper-v5", "S3", Fakes.params(10, 3, 1000, 50,
                2500, 25), 7, 1000, 1000, "symphony", "fading", Map.of("org.symphonyrl.core", "0.1.0"),
                "2026-12-01T06:00:00Z", List.of(), spec);
        info.write(dir);
        String json = Files.readString(dir.resolve(RunInfo.FILE));
        assertTrue(json.contains("\"observationLow\": [\n      -Infinity,\n      -Infinity\n    ]"), json);
        assertTrue(json.contains("\"maxEpisodeSteps\": 1000"), json);
        assertEquals(spec, RunInfo.read(dir).environmentSpec());
    }

    @Test
    void aRunJsonWithoutTheSpecStillReads(@TempDir Path dir) throws Exception {
        new RunInfo(1, List.of("symphony", "train"), "Pendulum-v1", "S3", Fakes.params(10, 3, 1000, 50, 2500, 25), 7,
                1000, 1000, "symphony", "fading", Map.of(), "2026-12-01T06:00:00Z", List.of(), null).write(dir);
        Path file = dir.resolve(RunInfo.FILE);
        String json = Files.readString(file);
        assertTrue(!json.contains("environmentSpec"), "gson leaves a null field out, as an older run.json has it");
        RunInfo read = RunInfo.read(dir);
        assertNull(read.environmentSpec());
        assertEquals("Pendulum-v1", read.environment());
        assertEquals(1, read.resumedAt("2026-12-01T07:00:00Z", "uniform").resumed().size());
    }
}
