package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@code train}, {@code eval} and {@code resume} as a user runs them: a child runtime with every real bundle. */
@Timeout(600)
class TrainCommandTest {

    private static final Duration BOOT = Duration.ofSeconds(120);

    @Test
    void badArgumentsAreRefusedWithAMessageSayingWhatWasWrong(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        assertTrue(Runs.run(log, 2, BOOT, "train", "--preset", "nope", "--run-dir", dir.resolve("a").toString())
                .contains("unknown preset 'nope'; available: ED, S2, S2-tilde, S3, SE, S~2"));
        assertTrue(Runs.run(log, 2, BOOT, "train", "--env", "NoSuchEnv-v0", "--run-dir", dir.resolve("b").toString())
                .contains("unknown environment 'NoSuchEnv-v0'"));
        assertTrue(Runs.run(log, 2, BOOT, "train", "--steps", "-5", "--run-dir", dir.resolve("c").toString())
                .contains("--steps must be a positive whole number, got -5"));
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertTrue(Runs.run(log, 2, BOOT, "train", "--run-dir", file.resolve("run").toString())
                .contains("cannot be written"));
        assertFalse(Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("b")) || Files.exists(dir.resolve("c")),
                "nothing is written for a refused command");
    }

    @Test
    void aShortRunWritesEveryArtifactAndItsAgentCanBeEvaluated(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        String out = Runs.run(log, 0, Duration.ofSeconds(400), "train", "--preset", Runs.TINY.toString(),
                "--steps", "700", "--seed", "5", "--eval-every", "300", "--eval-episodes", "2", "--checkpoint-every",
                "300", "--run-dir", run.toString());
        assertTrue(out.contains("step 300: evaluation return"), out);
        assertTrue(out.contains("step 600: evaluation return"), out);
        assertTrue(out.contains("step 700: evaluation return"), "an evaluation at the final step:\n" + out);
        assertTrue(out.contains("finished at step 700 (4 episodes)"), out);

        JsonObject info = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        assertEquals(5, info.get("seed").getAsLong());
        assertEquals("tiny", info.get("preset").getAsString());
        assertEquals("Pendulum-v1", info.get("environment").getAsString());
        assertEquals(200, info.getAsJsonObject("hyperparameters").get("explorationSteps").getAsInt());
        assertEquals(32, info.getAsJsonObject("hyperparameters").get("hidden").getAsInt());
        assertTrue(info.getAsJsonObject("bundles").has("org.symphonyrl.core"));
        assertTrue(info.get("command").toString().contains("--seed"));
        assertTrue(info.has("started"));

        // the spec of the environment, for tools that do not open it (Gymnasium's Pendulum-v1: |cos|, |sin| ≤ 1,
        // |θ̇| ≤ 8, torque in [-2, 2], 200 steps)
        JsonObject spec = info.getAsJsonObject("environmentSpec");
        assertEquals("[1.0,1.0,8.0]", spec.get("observationHigh").toString());
        assertEquals("[-2.0]", spec.get("actionLow").toString());
        assertEquals(200, spec.get("maxEpisodeSteps").getAsInt());

        List<String[]> history = Runs.rows(run.resolve("history.csv"));
        assertEquals(List.of("300", "600", "700"), history.stream().map(r -> r[0]).toList());
        // three full Pendulum episodes and the last 100 steps, closed by the end of the run
        Runs.assertNoStepLostOrRepeated(run, 700);
        List<String[]> episodes = Runs.rows(run.resolve("episodes.csv"));
        assertEquals(List.of("", "", "", "end"), episodes.stream().map(r -> r[10]).toList(),
                "the last episode is marked as cut by the end of the run");
        assertEquals(List.of("0", "0", "0", "0"), episodes.stream().map(r -> r[11]).toList());
        assertEquals("true", episodes.get(0)[8], "episode 1 is exploration");
        assertEquals("", episodes.get(0)[5], "no σ before any update");
        assertEquals("false", episodes.get(1)[8]);
        double sigma = Double.parseDouble(episodes.get(1)[5]);
        assertTrue(sigma > 0 && sigma < 1, "mean σ of the updates is in (0, 1): " + sigma);

        byte[] png = Files.readAllBytes(run.resolve("returns.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        // checkpoints: the first episode end at least 300 steps in (400), then the end (700)
        assertEquals(List.of(400L, 700L), Runs.checkpointSteps(run), "the newest two checkpoints are kept");
        // the best checkpoint holds the agent of the highest evaluation mean
        int best = 0;
        for (int i = 1; i < history.size(); i++) {
            best = Double.parseDouble(history.get(i)[1]) > Double.parseDouble(history.get(best)[1]) ? i : best;
        }
        assertTrue(Files.isDirectory(run.resolve("checkpoints/best-step-" + String.format("%012d",
                Long.parseLong(history.get(best)[0])))), "best checkpoint of step " + history.get(best)[0]);
        assertFalse(Files.exists(run.resolve("control.json")), "the control socket is gone with the run");

        String eval = Runs.run(dir.resolve("eval.log"), 0, BOOT, "eval", run.toString(), "--episodes", "2");
        assertTrue(eval.matches("(?s).*Pendulum-v1 at step 700: evaluation return -?\\d+\\.\\d ± \\d+\\.\\d over 2 noise-free episodes.*"), eval);

        String again = Runs.run(dir.resolve("resume.log"), 2, BOOT, "resume", run.toString());
        assertTrue(again.contains("the run is complete (step 700 of 700); give --steps N"), again);
        String notARun = Runs.run(dir.resolve("resume2.log"), 2, BOOT, "resume", dir.toString());
        assertTrue(notARun.contains("is not a run directory: it has no run.json"), notARun);
    }
}
