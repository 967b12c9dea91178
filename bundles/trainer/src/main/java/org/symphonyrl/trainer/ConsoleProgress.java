package org.symphonyrl.trainer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.symphonyrl.api.TrainingListener;

/**
 * The console: a progress bar (me.tongfei:progressbar — steps, steps/s and time left, with the episode
 * count, last return and mean of the last {@value #WINDOW} returns as its message), and one line per
 * evaluation and per swap. {@code --quiet} drops the bar and keeps those lines, for scripts.
 */
final class ConsoleProgress implements TrainingListener, AutoCloseable {

    static final int WINDOW = 10;

    private final PrintStream out;
    private ProgressBar bar;
    private final Deque<Double> recent = new ArrayDeque<>();
    private double lastEvaluation = Double.NaN;

    ConsoleProgress(PrintStream out, long startStep, long totalSteps, boolean quiet) {
        this.out = out;
        if (quiet) {
            bar = null;
            return;
        }
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setUnit(" steps", 1).showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS).startsFrom(startStep, Duration.ZERO);
        if (System.console() == null) {
            builder.setMaxRenderedLength(150); // no terminal to ask for its width (output to a file or a pipe)
        }
        bar = builder.build(); // draws on stderr
    }

    @Override
    public void onStep(StepEvent e) {
        if (bar != null) {
            bar.stepTo(e.step());
        }
    }

    @Override
    public void onEpisode(EpisodeEvent e) {
        recent.addLast(e.episodeReturn());
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        if (bar != null) {
            double mean = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            bar.setExtraMessage(String.format(Locale.ROOT, " | ep %d | last %.0f | mean%d %.0f%s", e.episode(),
                    e.episodeReturn(), WINDOW, mean, Double.isNaN(lastEvaluation) ? ""
                            : String.format(Locale.ROOT, " | eval %.0f", lastEvaluation)));
        }
    }

    @Override
    public void onEvaluation(EvaluationEvent e) {
        lastEvaluation = e.mean();
        line(String.format(Locale.ROOT, "step %d: evaluation return %.1f ± %.1f over %d noise-free episodes",
                e.step(), e.mean(), e.std(), e.returns().length));
    }

    @Override
    public void onSwap(SwapEvent e) {
        line(String.format(Locale.ROOT, "step %d: SWAP %s %s -> %s", e.step(), e.what(), e.from(), e.to()));
    }

    /** A line of its own, below the bar's last rendering. */
    void line(String text) {
        out.println((bar == null ? "" : "\n") + text);
        out.flush();
    }

    /** Removes the bar (its last rendering stays); later lines print plainly. Idempotent. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
            System.err.println();
        }
        out.flush();
    }
}
