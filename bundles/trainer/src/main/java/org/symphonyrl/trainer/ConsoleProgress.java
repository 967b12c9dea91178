package org.symphonyrl.trainer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.symphonyrl.api.TrainingListener;

/**
 * The console: a progress bar on stderr (me.tongfei:progressbar draws and refreshes it, at the terminal's width;
 * the line itself is {@link ProgressLine}: return, mean of the last {@value #WINDOW} returns and last evaluation
 * first, then steps, speed and the time left of {@link TimeLeft}), and one line per evaluation and per swap on
 * stdout. {@code --quiet} drops the bar and keeps those lines, for scripts.
 */
final class ConsoleProgress implements TrainingListener, AutoCloseable {

    static final int WINDOW = 10;
    /** The line's width when stderr is no terminal (a file or a pipe) and no width can be asked for. */
    static final int WIDTH_WITHOUT_TERMINAL = 150;
    static final int REFRESH_MILLIS = 1000;

    private final PrintStream out;
    private final TimeLeft time;
    private final Deque<Double> recent = new ArrayDeque<>();
    private ProgressBar bar;
    private long episodes;
    private double lastReturn = Double.NaN;
    private double meanReturn = Double.NaN;
    private double lastEvaluation = Double.NaN;

    ConsoleProgress(PrintStream out, long startStep, long totalSteps, boolean quiet) {
        this(out, startStep, totalSteps, quiet ? null : consoleConsumer(), System::nanoTime);
    }

    /**
     * @param barConsumer where the bar's line goes (and how wide it may be); null for no bar
     * @param nanoTime    the clock of speed and time left
     */
    ConsoleProgress(PrintStream out, long startStep, long totalSteps, ProgressBarConsumer barConsumer,
                    LongSupplier nanoTime) {
        this.out = out;
        this.time = new TimeLeft(startStep, totalSteps, nanoTime);
        if (barConsumer != null) {
            // JLine finds its terminal providers (the terminal's width) through the context class loader: the
            // launcher's sees none of this bundle's, so the width query and the bar's thread get the bundle's
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(ConsoleProgress.class.getClassLoader());
            try {
                barConsumer.getMaxRenderedLength();
                bar = new ProgressBar("train", totalSteps, REFRESH_MILLIS, false, false, startStep, Duration.ZERO,
                        (state, width) -> render(width), barConsumer);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** stderr at the terminal's width, or at a fixed width when there is no terminal to ask. */
    private static ProgressBarConsumer consoleConsumer() {
        return System.console() == null ? new ConsoleProgressBarConsumer(System.err, WIDTH_WITHOUT_TERMINAL)
                : new ConsoleProgressBarConsumer(System.err);
    }

    /** The bar's line at {@code width} columns, as the bar draws it now. */
    synchronized String render(int width) {
        return ProgressLine.render(new ProgressLine.Numbers(time.step(), time.totalSteps(), episodes, lastReturn,
                meanReturn, WINDOW, lastEvaluation, time.stepsPerSecond(), time.elapsed(), time.left()), width);
    }

    @Override
    public void onStep(StepEvent e) {
        time.onStep(e.step(), e.exploring());
        if (bar != null) {
            bar.stepTo(e.step());
        }
    }

    @Override
    public synchronized void onEpisode(EpisodeEvent e) {
        recent.addLast(e.episodeReturn());
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        episodes = e.episode();
        lastReturn = e.episodeReturn();
        meanReturn = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Override
    public void onEvaluation(EvaluationEvent e) {
        synchronized (this) {
            lastEvaluation = e.mean();
        }
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

    /** Draws the bar a last time and ends its line (the rendering stays); later lines print plainly. Idempotent. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.flush();
    }
}
