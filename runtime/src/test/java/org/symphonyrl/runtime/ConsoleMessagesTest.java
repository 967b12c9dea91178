package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train} and {@code eval} print besides their results, as a user sees it (a child runtime, stdout and
 * stderr together): warnings that say what a run will not do, errors in the user's terms, and no engine noise.
 */
@Timeout(600)
class ConsoleMessagesTest {

    private static final Duration BOOT = Duration.ofSeconds(120);

    @Test
    void trainAndEvalPrintNeitherDjlsGpuWarningNorLibtorchsDeprecation(@TempDir Path dir) throws Exception {
        // 250 steps of the tiny preset: the agent copies its networks, updates after step 200, checkpoints; eval
        // restores the agent from the checkpoint
        Path run = dir.resolve("run");
        String train = Runs.run(dir.resolve("train.log"), 0, Duration.ofSeconds(300), "train", "--preset",
                Runs.TINY.toString(), "--steps", "250", "--seed", "3", "--run-dir", run.toString());
        assertTrue(train.contains("finished at step 250"), train);
        String eval = Runs.run(dir.resolve("eval.log"), 0, BOOT, "eval", run.toString(), "--episodes", "1");
        for (String out : List.of(train, eval)) {
            assertFalse(out.contains("CudaUtils") || out.contains("GPU count"), out);
            assertFalse(out.contains("AutoNonVariableTypeMode"), out);
            assertFalse(out.contains("WARN"), out);
        }
    }

    @Test
    void aRunThatWillNotLearnAndNetworksSmallerThanThePresetsAreWarnedAbout(@TempDir Path dir) throws Exception {
        // S3 with N_exp 100: capacity 5,000, h 5, q 1, B 3 instead of 512, 128, 384; 50 steps never leave exploration
        String out = Runs.run(dir.resolve("train.log"), 0, BOOT, "train", "--explore", "100", "--steps", "50",
                "--quiet", "--run-dir", dir.resolve("run").toString());
        assertTrue(out.contains("symphony train: warning: --steps 50 does not go past exploration (N_exp 100): the agent"
                + " only explores, no learning will happen"), out);
        assertTrue(out.contains("symphony train: warning: N_exp 100 makes the networks smaller than preset S3's"
                + " (N_exp 10,240): h 5 instead of 512, q 1 instead of 128, B 3 instead of 384"), out);
        assertTrue(out.contains("finished at step 50"), out);
    }

    @Test
    void tooSmallAnExplorationIsRefusedInTermsOfTheOption(@TempDir Path dir) throws Exception {
        String out = Runs.run(dir.resolve("train.log"), 2, BOOT, "train", "--explore", "10", "--run-dir",
                dir.resolve("run").toString());
        assertTrue(out.contains("symphony train: --explore 10 is too small for preset S3"), out);
        assertTrue(out.contains("the smallest --explore for S3 is 80"), out);
        assertFalse(out.contains(".json") || out.contains("hidden"), "no shipped resource or field name: " + out);
        assertFalse(Files.exists(dir.resolve("run")), "nothing is written for a refused command");
    }

    @Test
    void anIdGymnasiumKnowsButCannotServeIsUnsupportedNotUnknown(@TempDir Path dir) throws Exception {
        String out = Runs.run(dir.resolve("train.log"), 2, BOOT, "train", "--env", "CartPole-v1", "--run-dir",
                dir.resolve("run").toString());
        assertTrue(out.contains("symphony train: unsupported environment 'CartPole-v1': action space is Discrete"), out);
        assertFalse(out.contains("unknown environment"), out);
        assertFalse(Files.exists(dir.resolve("run")), "nothing is written for a refused command");
    }
}
