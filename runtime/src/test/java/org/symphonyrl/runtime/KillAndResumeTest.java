package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL resumes from its last checkpoint with the agent (weights, optimiser moments,
 * moving average Q̄, random streams) and the buffer (transitions, r̄) bit for bit as saved, the same step
 * and episode counters, and a log that accounts for every step once; a kill in the middle of writing a
 * checkpoint leaves the previous one loadable.
 */
@Timeout(900)
class KillAndResumeTest {

    @Test
    void aRunKilledAtARandomMomentResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = RuntimeProcess.start(log, "train", "--preset", Runs.TINY.toString(), "--steps", "1400",
                "--seed", "11", "--checkpoint-every", "200", "--eval-every", "400", "--eval-episodes", "2", "--quiet",
                "--run-dir", run.toString());
        // after exploration (200 steps) and some updates, at a random moment
        Runs.await("a checkpoint at step 600", Duration.ofSeconds(400), train, log,
                () -> Runs.checkpointSteps(run).stream().anyMatch(s -> s >= 600));
        long seed = System.nanoTime();
        long delay = new Random(seed).nextInt(3000);
        Thread.sleep(delay);
        train.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
        train.waitFor();
        assertEquals(137, train.exitValue(), "killed by SIGKILL");

        List<Long> steps = Runs.checkpointSteps(run);
        long saved = steps.get(steps.size() - 1);
        JsonObject state = Runs.checkpointState(run, saved);
        assertEquals(saved, state.get("step").getAsLong());
        long savedEpisodes = state.get("episode").getAsLong();

        Path resumeLog = dir.resolve("resume.log");
        String out = Runs.run(resumeLog, 0, Duration.ofSeconds(600), "resume", run.toString(), "--quiet");
        String context = "killed " + delay + " ms after the step-600 checkpoint (random seed " + seed + ")\n" + out;
        assertTrue(out.contains("restored step " + saved + ": agent state identical to the checkpoint (sha256 "
                + state.get("agentSha256").getAsString() + "), buffer identical to the checkpoint (sha256 "
                + state.get("bufferSha256").getAsString() + ")"), context);
        assertTrue(out.contains("resumed " + run + " at step " + saved + ", episode " + savedEpisodes), context);
        assertTrue(out.contains("finished at step 1400"), context);
        Runs.assertNoStepLostOrRepeated(run, 1400);
        JsonObject info = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        assertEquals(1, info.getAsJsonArray("resumed").size());
        List<String> evaluations = Runs.rows(run.resolve("history.csv")).stream().map(r -> r[0]).toList();
        assertEquals(List.of("400", "800", "1200", "1400"), evaluations, "each evaluation once, and at the end, " + context);
    }

    @Test
    void aKillDuringACheckpointWriteLeavesThePreviousCheckpointLoadable(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        // fault injection: every checkpoint waits 4 s when written but not yet renamed into place
        Process train = RuntimeProcess.builder(log, List.of("-Dsymphony.test.checkpoint.pause=4000"), "train",
                "--preset", Runs.TINY.toString(), "--steps", "1000", "--seed", "12", "--checkpoint-every", "200",
                "--eval-every", "100000", "--quiet", "--run-dir", run.toString()).start();
        Path checkpoints = run.resolve("checkpoints");
        Runs.await("a checkpoint being written after step 200", Duration.ofSeconds(400), train, log,
                () -> temporary(checkpoints).stream().anyMatch(t -> t.endsWith("step-000000000400")
                        && Files.exists(checkpoints.resolve(t).resolve("state.json"))));
        train.destroyForcibly();
        train.waitFor();
        assertTrue(temporary(checkpoints).contains(".tmp-step-000000000400"), "the kill cut the write of step 400");
        List<Long> whole = Runs.checkpointSteps(run);
        assertEquals(200L, whole.get(whole.size() - 1), "the previous checkpoint is the newest whole one");
        JsonObject state = Runs.checkpointState(run, 200);

        String out = Runs.run(dir.resolve("resume.log"), 0, Duration.ofSeconds(600), "resume", run.toString(), "--quiet");
        assertTrue(out.contains("restored step 200: agent state identical to the checkpoint (sha256 "
                + state.get("agentSha256").getAsString() + ")"), out);
        assertTrue(out.contains("finished at step 1000"), out);
        assertTrue(temporary(checkpoints).isEmpty(), "the next write removed the cut one");
        Runs.assertNoStepLostOrRepeated(run, 1000);
    }

    private static List<String> temporary(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
