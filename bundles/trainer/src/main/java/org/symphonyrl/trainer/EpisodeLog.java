package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code episodes.csv}: one row per training episode. {@code step} is the run's step count when the
 * episode ended, so consecutive rows prove that no step was lost or repeated (each row's step is the
 * previous row's plus its length). A swap during the episode is named in {@code swap}; {@code cut} names
 * why the episode was cut short ({@link EpisodeCut}: {@code end}, {@code stop}, {@code interrupted},
 * {@code emergency_stop}, {@code bad_value}; empty if the environment ended it), and {@code nonfinite}
 * counts the non-finite numbers of the step that a bad value cut.
 */
final class EpisodeLog implements RunListener, AutoCloseable {

    static final String FILE = "episodes.csv";
    static final String HEADER = "episode,step,return,length,terminated,mean_sigma,mean_beta,advantage,exploring,swap,"
            + "cut,nonfinite";

    private final CsvLog csv;
    private final List<String> swaps = new ArrayList<>();

    EpisodeLog(Path runDir) throws IOException {
        csv = new CsvLog(runDir.resolve(FILE), HEADER);
    }

    @Override
    public void onEpisodeEnd(EpisodeEvent e, EpisodeCut cut, int nonFinite) {
        csv.row(String.format(Locale.ROOT, "%d,%d,%.6f,%d,%b,%s,%s,%s,%b,%s,%s,%d", e.episode(), e.step(),
                e.episodeReturn(), e.length(), e.terminated(), number(e.meanSigma()), number(e.meanBeta()),
                number(e.advantage()), e.exploring(), String.join(" ", swaps), cut.word, nonFinite));
        swaps.clear();
    }

    @Override
    public void onSwap(SwapEvent e) {
        swaps.add(describe(e));
    }

    /** The swap as one CSV-safe word: {@code buffer:fading>uniform@1234}. */
    static String describe(SwapEvent e) {
        return (e.what() + ":" + e.from() + ">" + e.to() + "@" + e.step()).replace(',', ';').replace(' ', '_');
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
