package org.symphonyrl.trainer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The progress bar's line at a given width. The numbers come first — the last episode's return, the mean of the
 * last returns, the last evaluation — then steps, speed and time left; with room to spare, the episode count,
 * the elapsed time and the bar itself. A narrower width gets shorter forms of the same numbers, never a number
 * cut off: at 80 columns they all fit even at Humanoid's scale (millions of steps, five-digit returns). The line
 * is padded to the width, so a shorter line overwrites a longer one.
 */
final class ProgressLine {

    /** The bar needs at least "100% [" + 6 + "]". */
    static final int MIN_BAR = 13;
    static final String NONE = "--";

    /**
     * What the line shows. NaN (or an empty time left) is a number not known yet: no episode, no evaluation,
     * the speed before the first step, the time left while it is estimated.
     */
    record Numbers(long step, long totalSteps, long episodes, double lastReturn, double meanReturn, int window,
                   double lastEvaluation, double stepsPerSecond, Duration elapsed, Optional<Duration> left) {
    }

    private ProgressLine() {
    }

    static String render(Numbers n, int width) {
        List<Layout> layouts = layouts(n);
        Layout chosen = layouts.get(layouts.size() - 1); // too narrow for any: the shortest, cut by the console
        for (Layout layout : layouts) {
            if (layout.text().length() <= width) {
                chosen = layout;
                break;
            }
        }
        StringBuilder line = new StringBuilder(chosen.text());
        int room = width - line.length() - chosen.separator().length();
        if (room >= MIN_BAR) {
            line.append(chosen.separator()).append(bar(n, room));
        }
        while (line.length() < width) {
            line.append(' ');
        }
        return line.toString();
    }

    private record Layout(String separator, List<String> fields) {
        String text() {
            return String.join(separator, fields);
        }
    }

    /** From the widest to the narrowest. */
    private static List<Layout> layouts(Numbers n) {
        String ret = "return " + returnValue(n.lastReturn());
        String mean = "mean" + n.window() + " " + returnValue(n.meanReturn());
        String eval = "eval " + returnValue(n.lastEvaluation());
        String steps = String.format(Locale.ROOT, "%,d/%,d", n.step(), n.totalSteps());
        String speed = speed(n.stepsPerSecond());
        String left = n.left().map(d -> duration(d) + " left").orElse("estimating time left");
        String shortLeft = n.left().map(d -> duration(d) + " left").orElse("left: estimating");
        return List.of(
                new Layout(" | ", List.of(ret, mean, eval, steps + " steps", "episode " + n.episodes(),
                        speed + " steps/s", duration(n.elapsed()) + " elapsed", left)),
                new Layout(" | ", List.of(ret, mean, eval, steps + " steps", speed + " steps/s", left)),
                new Layout("  ", List.of(ret, mean, eval, steps, speed + "/s", shortLeft)),
                new Layout("  ", List.of(ret, mean, eval, compact(n.step()) + "/" + compact(n.totalSteps()),
                        speed + "/s", shortLeft)));
    }

    /** "41% [=====>     ]" in {@code width} characters. */
    private static String bar(Numbers n, int width) {
        double fraction = n.totalSteps() <= 0 ? 0 : Math.min(1, (double) n.step() / n.totalSteps());
        String percent = String.format(Locale.ROOT, "%3d%% [", (int) Math.floor(fraction * 100));
        int inside = width - percent.length() - 1;
        int full = (int) Math.floor(fraction * inside);
        StringBuilder b = new StringBuilder(percent);
        b.append("=".repeat(full));
        if (full < inside) {
            b.append('>').append(" ".repeat(inside - full - 1));
        }
        return b.append(']').toString();
    }

    static String returnValue(double v) {
        if (Double.isNaN(v)) {
            return NONE;
        }
        return String.format(Locale.ROOT, Math.abs(v) < 100 ? "%.1f" : "%.0f", v);
    }

    static String speed(double stepsPerSecond) {
        if (Double.isNaN(stepsPerSecond)) {
            return NONE;
        }
        return String.format(Locale.ROOT, stepsPerSecond < 10 ? "%.2f" : stepsPerSecond < 100 ? "%.1f" : "%.0f",
                stepsPerSecond);
    }

    /** H:MM:SS, hours unbounded. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** 9,999 as is, then 12.3k, 1.23M. */
    static String compact(long steps) {
        if (steps < 10_000) {
            return Long.toString(steps);
        }
        return steps < 1_000_000 ? String.format(Locale.ROOT, "%.1fk", steps / 1e3)
                : String.format(Locale.ROOT, "%.2fM", steps / 1e6);
    }
}
