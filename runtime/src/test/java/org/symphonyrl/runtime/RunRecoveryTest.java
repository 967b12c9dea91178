package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a run killed before its first checkpoint can be resumed and gives the run an uninterrupted train of
 * the same seed gives; a resume that fails changes no file; exit codes are 2 for bad input, 1 for a failure during
 * the work and 130 when interrupted (Ctrl-C).
 */
@Timeout(900)
class RunRecoveryTest {

    private static final Duration RUN = Duration.ofSeconds(400);

    private static final List<String> OPTIONS = List.of("--preset", Runs.TINY.toString(), "--steps", "650", "--seed",
            "43", "--checkpoint-every", "100000", "--eval-every", "300", "--eval-episodes", "2", "--quiet");

    private static String[] train(Path run) {
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(OPTIONS);
        args.addAll(List.of("--run-dir", run.toString()));
        return args.toArray(String[]::new);
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromStepZeroToTheSameRun(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = RuntimeProcess.start(log, train(run));
        Runs.await("two episodes", Duration.ofSeconds(300), train, log,
                () -> Runs.rows(run.resolve("episodes.csv")).size() >= 2);
        train.destroyForcibly();
        train.waitFor();
        assertEquals(List.of(), Runs.checkpointSteps(run), "killed before any checkpoint");

        String out = Runs.run(dir.resolve("resume.log"), 0, RUN, "resume", run.toString(), "--quiet");
        assertTrue(out.contains("no checkpoint yet: " + run + " starts again from step 0 with its seed 43"), out);
        assertTrue(out.contains("finished at step 650"), out);

        Path straight = dir.resolve("straight");
        Runs.run(dir.resolve("straight.log"), 0, RUN, train(straight));
        Runs.assertSameRun(straight, run, 650);
    }

    @Test
    void aResumeThatFailsLeavesEveryFileOfTheRunAsItWas(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Runs.run(dir.resolve("train.log"), 0, RUN, train(run));
        // the agent bundle the run was made with is not in this runtime
        Path info = run.resolve("run.json");
        Files.writeString(info, Files.readString(info).replace("\"agentKind\": \"symphony\"", "\"agentKind\": \"gone\""));
        SortedMap<String, String> before = Runs.hashTree(run);

        String out = Runs.run(dir.resolve("resume.log"), 2, RUN, "resume", run.toString(), "--steps", "900");
        assertTrue(out.contains("symphony resume: unknown agent kind 'gone'; available: symphony"), out);
        assertEquals(before, Runs.hashTree(run), "the failed resume changed files of the run");
    }

    @Test
    void exitCodesAre2ForBadInputAnd130WhenInterrupted(@TempDir Path dir) throws Exception {
        assertTrue(Runs.run(dir.resolve("a.log"), 2, RUN, "nosuchcommand").contains("nosuchcommand"));
        assertTrue(Runs.run(dir.resolve("b.log"), 2, RUN, "train", "--no-such-option").contains("--no-such-option"));
        assertTrue(Runs.run(dir.resolve("c.log"), 2, RUN, "eval", dir.toString()).contains("is not a run directory"));
        assertTrue(Runs.run(dir.resolve("d.log"), 2, RUN, "swap", dir.resolve("nowhere").toString(), "--buffer",
                "uniform").contains("does not exist"));

        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = RuntimeProcess.start(log, "train", "--preset", Runs.TINY.toString(), "--steps", "100000",
                "--seed", "44", "--quiet", "--run-dir", run.toString());
        Runs.await("an episode", Duration.ofSeconds(300), train, log,
                () -> Runs.rows(run.resolve("episodes.csv")).size() >= 1);
        Runs.signal(train, "INT"); // Ctrl-C
        assertTrue(train.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(130, train.exitValue(), out);
        List<String[]> rows = Runs.rows(run.resolve("episodes.csv"));
        long last = Runs.checkpointSteps(run).get(Runs.checkpointSteps(run).size() - 1);
        assertTrue(out.contains("stopped at step " + last), out);
        assertEquals("stop", rows.get(rows.size() - 1)[10], "the episode cut by Ctrl-C is marked");
        Runs.assertNoStepLostOrRepeated(run, last);
    }
}
