package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run on a real Gymnasium MuJoCo environment, through the ZeroMQ bridge the runtime starts by itself. */
@Timeout(900)
class BridgeRunTest {

    @Test
    void aRunOnHopperThroughTheBridgeCompletesAndWritesEveryArtifact(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        String out = Runs.run(dir.resolve("train.log"), 0, Duration.ofSeconds(800), "train", "--env", "Hopper-v5",
                "--preset", Runs.TINY.toString(), "--steps", "2000", "--seed", "31", "--eval-every", "1000",
                "--eval-episodes", "3", "--quiet", "--run-dir", run.toString());
        assertTrue(out.contains("finished at step 2000"), out);
        assertTrue(out.contains("step 1000: evaluation return") && out.contains("step 2000: evaluation return"), out);

        JsonObject info = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        assertEquals("Hopper-v5", info.get("environment").getAsString());
        assertEquals(List.of("1000", "2000"), Runs.rows(run.resolve("history.csv")).stream().map(r -> r[0]).toList());
        Runs.assertNoStepLostOrRepeated(run, 2000);
        // Hopper falls: the untrained hopper's episodes end by termination, and those reach the buffer as done
        assertTrue(Runs.rows(run.resolve("episodes.csv")).stream().anyMatch(r -> r[4].equals("true")),
                "some Hopper episode terminated");
        byte[] png = Files.readAllBytes(run.resolve("returns.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertEquals(2000L, Runs.checkpointSteps(run).get(Runs.checkpointSteps(run).size() - 1));
    }
}
