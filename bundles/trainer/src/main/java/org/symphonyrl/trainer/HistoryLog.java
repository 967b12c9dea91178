package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.symphonyrl.api.TrainingListener;

/**
 * {@code history.csv} (step, evaluation mean, evaluation standard deviation) and the learning curve
 * {@code returns.png}, redrawn from the whole history at each evaluation.
 */
final class HistoryLog implements TrainingListener, AutoCloseable {

    static final String FILE = "history.csv";
    static final String HEADER = "step,eval_mean,eval_std";

    private final Path runDir;
    private final CsvLog csv;

    HistoryLog(Path runDir) throws IOException {
        this.runDir = runDir;
        csv = new CsvLog(runDir.resolve(FILE), HEADER);
        try {
            LearningCurve.warmUp();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("symphony: charts unavailable, no " + LearningCurve.FILE + " will be drawn: " + e);
        }
    }

    @Override
    public void onEvaluation(EvaluationEvent e) {
        csv.row(String.format(Locale.ROOT, "%d,%.6f,%.6f", e.step(), e.mean(), e.std()));
        redraw();
    }

    /** Draws returns.png from history.csv and episodes.csv; a failure to draw never stops a run. */
    void redraw() {
        try {
            LearningCurve.draw(runDir.resolve(FILE), runDir.resolve(EpisodeLog.FILE), runDir.resolve(LearningCurve.FILE));
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("symphony: cannot draw " + LearningCurve.FILE + ": " + e);
        }
    }

    boolean hasEvaluations() throws IOException {
        return Files.exists(runDir.resolve(FILE)) && Files.readAllLines(runDir.resolve(FILE)).size() > 1;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
