package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swaps in a live run: the buffer fading → uniform → fading through {@code symphony swap} (the control
 * socket), then an update of the agent bundle from a jar dropped into the run's hot-deploy directory.
 * The episode log proves that no step was lost or repeated, and the agent's state (weights, moments,
 * moving average, random stream) is bit for bit the same before and after the agent swap.
 */
@Timeout(900)
class HotSwapTest {

    @Test
    void bufferAndAgentSwapsInALiveRunLoseNoStepAndKeepTheAgentsState(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = RuntimeProcess.start(log, "train", "--preset", Runs.TINY.toString(), "--steps", "1000000",
                "--seed", "21", "--eval-every", "100000", "--quiet", "--run-dir", run.toString());
        Runs.await("the end of exploration", Duration.ofSeconds(300), train, log,
                () -> Runs.rows(run.resolve("episodes.csv")).size() >= 2 && Files.exists(run.resolve("control.json")));

        String toUniform = Runs.run(dir.resolve("swap1.log"), 0, Duration.ofSeconds(180), "swap", run.toString(),
                "--buffer", "uniform");
        assertTrue(toUniform.matches("(?s).*step \\d+: buffer fading -> uniform with \\d+ transitions.*"), toUniform);
        String toFading = Runs.run(dir.resolve("swap2.log"), 0, Duration.ofSeconds(180), "swap", run.toString(),
                "--buffer", "fading");
        assertTrue(toFading.matches("(?s).*step \\d+: buffer uniform -> fading with \\d+ transitions.*"), toFading);
        String unknown = Runs.run(dir.resolve("swap3.log"), 2, Duration.ofSeconds(180), "swap", run.toString(),
                "--buffer", "nope");
        assertTrue(unknown.contains("unknown buffer kind 'nope'; available: fading, uniform"), unknown);

        Path agentJar = Path.of("target/dist/bundles/symphony-core.jar").toAbsolutePath();
        Path hotDeploy = run.resolve("hot-deploy");
        Files.copy(agentJar, hotDeploy.resolve(".symphony-core.jar.part")); // hidden while copying
        Files.move(hotDeploy.resolve(".symphony-core.jar.part"), hotDeploy.resolve("symphony-core.jar"));
        Runs.await("the agent update", Duration.ofSeconds(180), train, log,
                () -> Files.exists(hotDeploy.resolve("applied/symphony-core.jar"))
                        || Files.exists(hotDeploy.resolve("failed/symphony-core.jar")));
        assertTrue(Files.exists(hotDeploy.resolve("applied/symphony-core.jar")), Files.readString(log));
        long stepAfterSwaps = lastEpisodeStep(run);
        Runs.await("two episodes after the swaps", Duration.ofSeconds(300), train, log,
                () -> lastEpisodeStep(run) >= stepAfterSwaps + 400);

        train.destroy(); // SIGTERM: the run stops at a step boundary and checkpoints
        assertTrue(train.waitFor(120, TimeUnit.SECONDS), "the run did not stop on SIGTERM");
        String out = Files.readString(log);
        List<Long> checkpoints = Runs.checkpointSteps(run);
        long last = checkpoints.get(checkpoints.size() - 1);
        assertTrue(out.contains("stopped at step " + last), out);
        Runs.assertNoStepLostOrRepeated(run, last);

        List<String> swaps = new ArrayList<>();
        for (String[] row : Runs.rows(run.resolve("episodes.csv"))) {
            if (!row[9].isEmpty()) {
                swaps.addAll(List.of(row[9].split(" ")));
                for (String swap : row[9].split(" ")) {
                    long at = Long.parseLong(swap.substring(swap.lastIndexOf('@') + 1));
                    long end = Long.parseLong(row[1]);
                    assertTrue(at <= end && at > end - Long.parseLong(row[3]), swap + " is marked in its own episode");
                }
            }
        }
        assertEquals(3, swaps.size(), String.valueOf(swaps));
        assertTrue(swaps.get(0).startsWith("buffer:fading>uniform@"), swaps.get(0));
        assertTrue(swaps.get(1).startsWith("buffer:uniform>fading@"), swaps.get(1));
        assertTrue(swaps.get(2).startsWith("agent:org.symphonyrl.core_"), swaps.get(2));
        assertTrue(swaps.get(2).contains("[agent_state_identical_(sha256_"), swaps.get(2));
        assertTrue(out.contains("SWAP buffer fading -> uniform") && out.contains("SWAP buffer uniform -> fading")
                && out.contains("SWAP agent org.symphonyrl.core"), out);
    }

    private static long lastEpisodeStep(Path run) {
        List<String[]> rows = Runs.rows(run.resolve("episodes.csv"));
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(rows.size() - 1)[1]);
    }
}
