package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;

/** {@code --explore}: its errors name the option and the range, its warnings say what a run will not do. */
class ExploreOptionTest {

    /**
     * S3's derivation, written out here: capacity = 50·N_exp, h = capacity / 1000, q = h / 4, B = 3q, with the
     * api's own check that every size is at least 1; its own N_exp is 10,240 (h 512, q 128, B 384).
     */
    static final Preset S3 = new Preset() {
        @Override
        public String name() {
            return "S3";
        }

        @Override
        public String description() {
            return "";
        }

        @Override
        public Hyperparameters hyperparameters() {
            return hyperparameters(10_240);
        }

        @Override
        public Hyperparameters hyperparameters(int n) {
            int capacity = 50 * n; // overflows above 42,949,672, as int arithmetic does in the presets bundle
            int h = capacity / 1000;
            int q = h / 4;
            return Fakes.params(n, 3, 1000, 50, 2500, 25).toBuilder().capacity(capacity).hidden(h).criticNodes(q)
                    .batchSize(3 * q).build();
        }
    };

    @Test
    void tooSmallAnExplorationNamesTheOptionAndTheSmallestItTakes() {
        // q = (50·N_exp / 1000) / 4 >= 1 needs 50·N_exp >= 4000: N_exp >= 80
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExploreOption.resolve(S3, 10));
        assertEquals("--explore 10 is too small for preset S3: the network sizes derived from it (docs/algorithm.md §1)"
                + " would be 0; the smallest --explore for S3 is 80", e.getMessage());
        assertEquals(1, ExploreOption.resolve(S3, 80).criticNodes());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExploreOption.resolve(S3, 79)).getMessage()
                .endsWith("the smallest --explore for S3 is 80"));
        assertEquals("--explore must be a positive whole number, got 0",
                assertThrows(IllegalArgumentException.class, () -> ExploreOption.resolve(S3, 0)).getMessage());
    }

    @Test
    void tooLargeAnExplorationNamesTheLargestItTakes() {
        // 50·N_exp fits an int up to N_exp = ⌊(2^31 − 1) / 50⌋ = 42,949,672
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExploreOption.resolve(S3, 60_000_000));
        assertTrue(e.getMessage().startsWith("--explore 60000000 is too large for preset S3"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the largest --explore for S3 is 42949672"), e.getMessage());
    }

    @Test
    void aRunThatNeverLearnsIsWarnedAbout() {
        Hyperparameters own = S3.hyperparameters();
        List<String> warnings = ExploreOption.warnings(S3, own, 10_240);
        assertEquals(List.of("--steps 10,240 does not go past exploration (N_exp 10,240): the agent only explores, no"
                + " learning will happen; give --steps above 10,240 or a smaller --explore"), warnings);
        assertEquals(List.of(), ExploreOption.warnings(S3, own, 10_241), "one learning step is learning");
    }

    @Test
    void aShorterExplorationThanThePresetsWarnsThatTheNetworksShrink() {
        // N_exp 1,024: capacity 51,200, h 51, q 12, B 36
        List<String> warnings = ExploreOption.warnings(S3, ExploreOption.resolve(S3, 1024), 100_000);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("N_exp 1,024 makes the networks smaller than preset S3's (N_exp 10,240):"
                + " h 51 instead of 512, q 12 instead of 128, B 36 instead of 384;"), warnings.get(0));
        assertFalse(warnings.get(0).contains("/presets/"), "no shipped resource is named");
        assertEquals(List.of(), ExploreOption.warnings(S3, ExploreOption.resolve(S3, 20_480), 100_000),
                "a longer exploration makes larger networks");
    }
}
