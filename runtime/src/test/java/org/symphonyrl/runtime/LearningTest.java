package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@code symphony train} of the unmodified algorithm on the embedded Pendulum-v1 raises the
 * noise-free evaluation return clearly above the random policy's. This is the README's demo command.
 *
 * <p>Sizes come from the preset file's documented knobs only ({@code pendulum-quick.json}: S3 with
 * N_exp {@value #EXPLORATION} and h {@value #HIDDEN}; capacity, q and B derived by docs/algorithm.md §1).
 * Baseline: uniform random actions score −1,233.7 ± 281.9 over 200 episodes (Gymnasium's Pendulum-v1,
 * {@code runtime/src/test/python/random_pendulum.py}), so the mean of 25 episodes of a random policy
 * lies within ±56 (one standard error) of −1,234. The run must end with an evaluation mean of at least
 * {@value #REQUIRED}, more than four standard errors above it. Seed {@value #SEED}; measured on the
 * 2-core development machine (shared with other work): evaluation −1,223.8 at
 * step 2,500, −1,142.3 at 5,000, −906.2 at 7,500, in 557 s.
 */
@Timeout(1400)
class LearningTest {

    static final Path PRESET = Path.of("../docs/presets/pendulum-quick.json").toAbsolutePath();
    static final int EXPLORATION = 1024;
    static final int HIDDEN = 256;
    static final long SEED = 1;
    static final int STEPS = 7500;
    static final double RANDOM_POLICY = -1233.7;
    static final double REQUIRED = -1000;

    @Test
    void trainingOnPendulumRaisesTheReturnClearlyAboveTheRandomPolicys(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        String out = Runs.run(dir.resolve("train.log"), 0, Duration.ofSeconds(1300), "train", "--preset",
                PRESET.toString(), "--steps", String.valueOf(STEPS), "--seed", String.valueOf(SEED), "--quiet",
                "--run-dir", run.toString());
        List<String[]> history = Runs.rows(run.resolve("history.csv"));
        assertTrue(!history.isEmpty(), out);
        double last = Double.parseDouble(history.get(history.size() - 1)[1]);
        System.out.println("Pendulum-v1, seed " + SEED + ": evaluation returns " + history.stream()
                .map(r -> r[0] + ": " + r[1]).toList() + " (random policy " + RANDOM_POLICY + ")");
        assertTrue(last >= REQUIRED, "evaluation return " + last + " at step " + history.get(history.size() - 1)[0]
                + " is not clearly above the random policy's " + RANDOM_POLICY + ":\n" + out);
    }
}
