package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.TrainingListener.EpisodeEvent;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;
import org.symphonyrl.api.TrainingListener.StepEvent;
import org.symphonyrl.trainer.TimeLeftTest.FakeClock;

/**
 * The bar's line at 80 and 160 columns, at Humanoid's scale (a run of 3,000,000 steps resumed at 1,234,000, four
 * steps a second, five-digit returns), with every expected figure worked out by hand in the comments.
 */
class ConsoleProgressTest {

    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /**
     * Resumed at step 1,234,000 of 3,000,000; 567 learning steps of 0.25 s (step 1,234,567 after 141.75 s: 4.00
     * steps/s, 0:02:21 elapsed, (3,000,000 − 1,234,567) × 0.25 s = 441,358.25 s = 122:35:58 left); episodes
     * 1..12 returned 4,000 + 100·i (the last 5,200, the mean of the last ten 4,300..5,200 is 4,750); one
     * evaluation of mean 5,210.7.
     */
    private static ConsoleProgress humanoidScale(FakeClock clock) {
        ConsoleProgress progress = new ConsoleProgress(NOWHERE, 1_234_000, 3_000_000, null, () -> clock.nanos);
        for (int i = 1; i <= 12; i++) {
            progress.onEpisode(new EpisodeEvent(i, 1_234_000, 4000 + 100 * i, 1000, false, 0.5, 0.5, 0, false));
        }
        progress.onEvaluation(new EvaluationEvent(1_234_000, 5210.7, 150, new double[] {5210.7}));
        for (long step = 1_234_001; step <= 1_234_567; step++) {
            clock.advance(0.25);
            progress.onStep(new StepEvent(step, 12, 5, false, false, false));
        }
        return progress;
    }

    @Test
    void at160ColumnsEveryFigureAndTheBarAreShown() {
        String line = humanoidScale(new FakeClock()).render(160);
        // the bar gets 160 − 128 − 3 = 29 columns: " 41% [" (1,234,567 / 3,000,000 = 41.15 %), 22 inside,
        // of which ⌊0.4115 × 22⌋ = 9 are done
        assertEquals("return 5200 | mean10 4750 | eval 5211 | 1,234,567/3,000,000 steps | episode 12 | 4.00 steps/s"
                + " | 0:02:21 elapsed | 122:35:58 left |  41% [=========>            ]", line);
        assertEquals(160, line.length());
    }

    @Test
    void at80ColumnsTheNumbersComeFirstAndNoneIsCut() {
        FakeClock clock = new FakeClock();
        ConsoleProgress progress = humanoidScale(clock);
        // 80 columns exactly: every figure, in shorter forms
        assertEquals("return 5200  mean10 4750  eval 5211  1,234,567/3,000,000  4.00/s  122:35:58 left",
                progress.render(80));
        // an 80-column terminal leaves the bar 79 (progressbar keeps a column free): the step counts shorten
        String terminal80 = progress.render(79);
        assertEquals("return 5200  mean10 4750  eval 5211  1.23M/3.00M  4.00/s  122:35:58 left", terminal80.strip());
        assertEquals(79, terminal80.length(), "padded, so that a shorter line overwrites a longer one");
    }

    @Test
    void beforeAnythingIsKnownTheLineSaysSo() {
        FakeClock clock = new FakeClock();
        ConsoleProgress progress = new ConsoleProgress(NOWHERE, 0, 7500, null, () -> clock.nanos);
        // 62 columns of figures leave 80 − 62 − 2 = 16 for the bar: "  0% [", 9 inside, "]"
        assertEquals("return --  mean10 --  eval --  0/7,500  --/s  left: estimating    0% [>        ]",
                progress.render(80));
        // exploring at 250 steps/s: the speed is known, the time left is not (learning steps are slower)
        for (long step = 1; step <= 1000; step++) {
            clock.advance(0.004);
            progress.onStep(new StepEvent(step, 0, -1, false, false, true));
        }
        progress.onEpisode(new EpisodeEvent(1, 200, -1234.4, 200, false, Double.NaN, Double.NaN, Double.NaN, true));
        String line = progress.render(160);
        assertTrue(line.startsWith("return -1234 | mean10 -1234 | eval -- | 1,000/7,500 steps | episode 1 | 250 steps/s"
                + " | 0:00:04 elapsed | estimating time left |  13% [="), line);
    }

    @Test
    void theLibraryDrawsTheLineAtTheConsolesWidth() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FakeClock clock = new FakeClock();
        ConsoleProgress progress = new ConsoleProgress(NOWHERE, 0, 7500, new ConsoleProgressBarConsumer(
                new PrintStream(err, true, StandardCharsets.UTF_8), 80), () -> clock.nanos);
        progress.onEpisode(new EpisodeEvent(1, 200, -1117.2, 200, false, Double.NaN, Double.NaN, Double.NaN, true));
        clock.advance(1);
        progress.onStep(new StepEvent(1, 1, -1, false, false, true));
        progress.close(); // draws a last time
        String drawn = err.toString(StandardCharsets.UTF_8);
        String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
        assertEquals("return -1117  mean10 -1117  eval --  1/7,500  1.00/s  left: estimating", last.strip());
        // the line ending comes only when the bar had drawn before it was closed (here it closes at once)
        assertEquals(80, last.replace(System.lineSeparator(), "").length(), "the line fills the width");
    }
}
