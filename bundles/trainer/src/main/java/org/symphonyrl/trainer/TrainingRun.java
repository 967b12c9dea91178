package org.symphonyrl.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;

/**
 * One live run in its run directory, in two phases so that a command that fails changes nothing:
 * <ol>
 *   <li>The constructor builds the environment (two instances: training and evaluation), the agent and the
 *       buffer from the api services named in {@code run.json}, and restores the checkpoint when resuming.
 *       It writes nothing.</li>
 *   <li>{@link #start} is the point from which the run is under way: it writes run.json (for a resume, with
 *       the resume time), drops log rows a killed run wrote after the checkpoint, opens the logs and starts
 *       serving swaps ({@link ControlServer}, {@link HotDeployDirectory}).</li>
 * </ol>
 * {@link #run} then trains to the target step, checkpointing at the first episode end after every
 * {@code checkpointEvery} steps, keeping the agent of the best evaluation ({@code best-step-N}),
 * evaluating at the final step, and checkpointing at the end.
 */
final class TrainingRun implements AutoCloseable {

    private final Path runDir;
    private final RunInfo info;
    private final boolean resuming;
    private final boolean quiet;
    private final PrintStream out;
    private final Services services;
    private final Environment environment;
    private final Environment evaluationEnvironment;
    private final EnvSpec spec;
    private final RunStreams streams;
    private final CheckpointStore checkpoints;
    private final Agent agent;
    private final ReplayBuffer buffer;
    private final long startStep;
    private final long startEpisode;
    private final int startBadEpisodes;
    private final ControlServer control;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TrainingLoop loop;
    private EpisodeLog episodeLog;
    private HistoryLog historyLog;
    private ConsoleProgress console;
    private HotSwap hotSwap;
    private long lastCheckpoint;
    private Double bestEvaluation;
    private EvaluationEvent newEvaluation;

    /**
     * Builds the run; writes nothing.
     *
     * @param checkpoints the run's checkpoint store (the one that chose {@code resume}, so that it sets aside
     *                    what it skipped when this run writes its first checkpoint)
     * @param resume      the checkpoint to continue from; empty for a fresh run or a resume from step 0
     * @param resuming    whether the run directory holds a run already (its logs are cut back to the checkpoint)
     */
    TrainingRun(Services services, Path runDir, RunInfo info, CheckpointStore checkpoints, Optional<Checkpoint> resume,
                boolean resuming, boolean quiet, PrintStream out) throws IOException {
        this.services = services;
        this.runDir = runDir;
        this.info = info;
        this.checkpoints = checkpoints;
        this.resuming = resuming;
        this.quiet = quiet;
        this.out = out;
        try {
            Hyperparameters params = info.hyperparameters();
            EnvironmentFactory envFactory = services.environmentFactory(info.environment());
            environment = envFactory.create(info.environment(), Map.of());
            resources.add(environment);
            evaluationEnvironment = envFactory.create(info.environment(), Map.of());
            resources.add(evaluationEnvironment);
            spec = environment.spec();
            if (info.environmentSpec() != null && !info.environmentSpec().equals(spec)) {
                out.println("warning: " + info.environment() + " is now " + spec + "; run.json records "
                        + info.environmentSpec());
            }
            streams = new RunStreams(info.seed());
            agent = services.agentFactory(info.agentKind()).create(spec, params, streams.agentSeed());
            resources.add(agent);
            // a run resumes with the buffer kind it had at its checkpoint (a swap may have changed it)
            String bufferKind = resume.map(c -> c.buffer().kind()).orElse(info.bufferKind());
            buffer = services.bufferFactory(bufferKind).create(spec, params, streams.bufferSeed());
            if (resume.isPresent()) {
                Checkpoint c = resume.get();
                agent.restore(c.agent());
                buffer.restore(c.buffer());
                streams.episodes().setState(c.episodeSeeds());
                streams.evaluation().setState(c.evaluationSeeds());
                verifyRestored(out, c, agent, buffer);
                bestEvaluation = c.bestEvaluation();
            }
            startStep = resume.map(Checkpoint::step).orElse(0L);
            startEpisode = resume.map(Checkpoint::episode).orElse(0L);
            startBadEpisodes = resume.map(Checkpoint::badEpisodesInARow).orElse(0);
            control = new ControlServer(runDir);
            resources.add(control);
        } catch (IOException | RuntimeException | Error e) {
            closeResources(); // nothing half-built stays open
            throw e;
        }
    }

    /**
     * The run is under way from here: writes {@code record} as run.json, cuts the logs back to the checkpoint
     * (rows a killed run wrote after it belong to steps that will be taken again), opens the logs and serves swaps.
     */
    void start(RunInfo record) throws IOException {
        record.write(runDir);
        if (resuming) {
            CsvLog.keepRowsUpTo(runDir.resolve(EpisodeLog.FILE), 0, startEpisode);
            CsvLog.keepRowsUpTo(runDir.resolve(HistoryLog.FILE), 0, startStep);
        }
        lastCheckpoint = startStep;
        episodeLog = new EpisodeLog(runDir);
        resources.add(episodeLog);
        historyLog = new HistoryLog(runDir);
        resources.add(historyLog);
        console = new ConsoleProgress(out, startStep, info.steps(), quiet);
        resources.add(console);
        RunListener own = new RunListener() {
            @Override
            public void onEvaluation(EvaluationEvent e) {
                newEvaluation = e;
            }

            @Override
            public void onNotice(String line) {
                console.line(line);
            }
        };
        RunEvents events = new RunEvents(List.of(episodeLog, historyLog, console, own), services::listeners);
        loop = new TrainingLoop(info.hyperparameters(), environment, evaluationEnvironment, agent, buffer, streams,
                startStep, startEpisode, events);
        loop.restoreBadEpisodesInARow(startBadEpisodes);
        resources.remove(agent); // from here on the loop holds the agent (a swap may replace it)
        hotSwap = new HotSwap(services, loop, spec, info.hyperparameters(), streams, info.agentKind(), events);
        control.serve(hotSwap::submit);
        resources.add(new HotDeployDirectory(runDir, hotSwap::submit));
        if (resuming) {
            console.line(String.format(Locale.ROOT, "resumed %s at step %d, episode %d (buffer %s, %d transitions)",
                    runDir, startStep, startEpisode, buffer.kind(), buffer.size()));
        }
    }

    /**
     * Trains until the target step or until {@code stop} says so, checkpointing on the way and at the end.
     *
     * @return whether the run reached its target step (false: stopped on request)
     * @throws RunFailedException if anything fails during the run (its last checkpoint stays)
     */
    boolean run(BooleanSupplier stop) throws IOException {
        long from = loop.steps();
        long started = System.nanoTime();
        boolean finished;
        try {
            while (loop.steps() < info.steps() && !stop.getAsBoolean()) {
                hotSwap.atStepBoundary();
                boolean episodeEnded = loop.step();
                keepBest();
                if (episodeEnded && loop.badEpisodesInARow() >= BadValues.MAX_EPISODES_IN_A_ROW) {
                    if (loop.steps() != lastCheckpoint) {
                        checkpoint();
                    }
                    throw new RunFailedException(String.format(Locale.ROOT, "the environment returned bad values"
                            + " (non-finite or of the wrong length) in %d episodes in a row; the run stops at step %d."
                            + " Fix the environment, then resume from the checkpoint of step %d",
                            BadValues.MAX_EPISODES_IN_A_ROW, loop.steps(), lastCheckpoint), null);
                }
                if (episodeEnded && loop.steps() < info.steps() && loop.steps() - lastCheckpoint >= info.checkpointEvery()) {
                    checkpoint();
                }
            }
            finished = loop.steps() >= info.steps();
            if (finished && loop.needsFinalEvaluation()) {
                loop.evaluate();
                keepBest();
            }
            loop.truncateEpisode(finished ? EpisodeCut.END_OF_RUN : EpisodeCut.STOPPED);
            if (loop.steps() != lastCheckpoint) {
                checkpoint();
            }
        } catch (RunFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RunFailedException(String.format(Locale.ROOT, "the run failed at step %d: %s; its last"
                    + " checkpoint (step %d) is kept", loop.steps(), CommandSupport.describe(e), lastCheckpoint), e);
        } finally {
            hotSwap.cancelPending();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        console.close();
        console.line(String.format(Locale.ROOT, "%s at step %d (%d episodes): %d steps in %.0f s (%.1f steps/s); run directory %s",
                finished ? "finished" : "stopped", loop.steps(), loop.episodes(),
                loop.steps() - from, seconds, (loop.steps() - from) / Math.max(seconds, 1e-9), runDir));
        return finished;
    }

    /**
     * Writes the best checkpoint when the evaluation just reported beats every earlier one of the run. An
     * evaluation with episodes cut short (a bad value, a lost connection) does not count: its mean is not a
     * measure of the agent.
     */
    private void keepBest() throws IOException {
        EvaluationEvent e = newEvaluation;
        newEvaluation = null;
        if (e != null && loop.lastEvaluationWhole() && (bestEvaluation == null || e.mean() > bestEvaluation)) {
            bestEvaluation = e.mean();
            checkpoints.writeBest(loop.episodes(), loop.agent().snapshot(), e);
        }
    }

    /**
     * Prints whether the restored agent and buffer, snapshotted again, are bit for bit what the checkpoint
     * holds (weights, optimiser moments, moving average, random streams; transitions and r̄).
     */
    private static void verifyRestored(PrintStream out, Checkpoint c, Agent agent, ReplayBuffer buffer) {
        String savedAgent = Fingerprint.of(c.agent());
        String savedBuffer = Fingerprint.of(c.buffer());
        String agentNow = Fingerprint.of(agent.snapshot());
        String bufferNow = Fingerprint.of(buffer.snapshot());
        out.printf(Locale.ROOT, "restored step %d: agent state %s (sha256 %s), buffer %s (sha256 %s)%n", c.step(),
                agentNow.equals(savedAgent) ? "identical to the checkpoint" : "DIFFERS from the checkpoint " + savedAgent,
                agentNow, bufferNow.equals(savedBuffer) ? "identical to the checkpoint" : "DIFFERS from the checkpoint "
                        + savedBuffer, bufferNow);
    }

    private void checkpoint() throws IOException {
        checkpoints.write(new Checkpoint(loop.steps(), loop.episodes(), streams.episodes().state(),
                streams.evaluation().state(), loop.agent().snapshot(), loop.buffer().snapshot(), bestEvaluation,
                loop.badEpisodesInARow()));
        lastCheckpoint = loop.steps();
        historyLog.redraw(); // the curve gains the episodes since the last evaluation
    }

    TrainingLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        if (historyLog != null) {
            historyLog.redraw();
        }
        closeResources(); // before start() the agent is among them
        if (loop != null) {
            loop.agent().close();
        }
    }

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("symphony: closing " + resources.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        resources.clear();
    }

    /** Something failed while the run was under way: exit code 1, the message says what and where. */
    static final class RunFailedException extends RuntimeException {
        RunFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Now, for run.json's start and resume times. */
    static String now() {
        return Instant.now().toString();
    }
}
