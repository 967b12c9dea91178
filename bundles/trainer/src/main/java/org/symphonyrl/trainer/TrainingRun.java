package org.symphonyrl.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
import org.symphonyrl.api.TrainingListener;

/**
 * One live run in its run directory: builds the environment (two instances: training and evaluation),
 * the agent and the buffer from the api services named in {@code run.json}, restores the last
 * checkpoint when resuming, runs the {@link TrainingLoop} to the target step while serving swaps
 * ({@link ControlServer}, {@link HotDeployDirectory}) at step boundaries, and checkpoints at the
 * first episode boundary after every {@code checkpointEvery} steps and at the end.
 */
final class TrainingRun implements AutoCloseable {

    private final Path runDir;
    private final RunInfo info;
    private final Environment environment;
    private final Environment evaluationEnvironment;
    private final RunStreams streams;
    private final TrainingLoop loop;
    private final CheckpointStore checkpoints;
    private final EpisodeLog episodeLog;
    private final HistoryLog historyLog;
    private final ConsoleProgress console;
    private final HotSwap hotSwap;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long lastCheckpoint;

    /**
     * @param resume the checkpoint to continue from; empty for a fresh run
     */
    TrainingRun(Services services, Path runDir, RunInfo info, Optional<Checkpoint> resume, boolean quiet, PrintStream out)
            throws IOException {
        try {
            this.runDir = runDir;
            this.info = info;
            Hyperparameters params = info.hyperparameters();
            EnvironmentFactory envFactory = services.environmentFactory(info.environment());
            environment = envFactory.create(info.environment(), Map.of());
            resources.add(environment);
            evaluationEnvironment = envFactory.create(info.environment(), Map.of());
            resources.add(evaluationEnvironment);
            EnvSpec spec = environment.spec();
            streams = new RunStreams(info.seed());
            Agent agent = services.agentFactory(info.agentKind()).create(spec, params, streams.agentSeed());
            resources.add(agent);
            // a run resumes with the buffer kind it had at its checkpoint (a swap may have changed it)
            String bufferKind = resume.map(c -> c.buffer().kind()).orElse(info.bufferKind());
            ReplayBuffer buffer = services.bufferFactory(bufferKind).create(spec, params, streams.bufferSeed());
            checkpoints = new CheckpointStore(runDir.resolve("checkpoints"));
            long step = 0;
            long episode = 0;
            if (resume.isPresent()) {
                Checkpoint c = resume.get();
                agent.restore(c.agent());
                buffer.restore(c.buffer());
                streams.episodes().setState(c.episodeSeeds());
                streams.evaluation().setState(c.evaluationSeeds());
                step = c.step();
                episode = c.episode();
                verifyRestored(out, c, agent, buffer);
                // rows written after the checkpoint belong to steps that will be taken again
                CsvLog.keepRowsUpTo(runDir.resolve(EpisodeLog.FILE), 0, episode);
                CsvLog.keepRowsUpTo(runDir.resolve(HistoryLog.FILE), 0, step);
            }
            lastCheckpoint = step;
            episodeLog = new EpisodeLog(runDir);
            resources.add(episodeLog);
            historyLog = new HistoryLog(runDir);
            resources.add(historyLog);
            console = new ConsoleProgress(out, step, info.steps(), quiet);
            resources.add(console);
            TrainingListener events = new RunEvents(List.of(episodeLog, historyLog, console), services::listeners);
            loop = new TrainingLoop(params, environment, evaluationEnvironment, agent, buffer, streams, step, episode, events);
            resources.remove(agent); // from here on the loop holds the agent (a swap may replace it)
            hotSwap = new HotSwap(services, loop, spec, params, streams, info.agentKind(), events);
            resources.add(new ControlServer(runDir, hotSwap::submit));
            resources.add(new HotDeployDirectory(runDir, hotSwap::submit));
            if (resume.isPresent()) {
                console.line(String.format(Locale.ROOT, "resumed %s at step %d, episode %d (buffer %s, %d transitions)",
                        runDir, step, episode, buffer.kind(), buffer.size()));
            } else {
                checkpoint(); // step 0: a run can always be resumed
            }
        } catch (IOException | RuntimeException | Error e) {
            closeResources();  // nothing half-built stays open
            throw e;
        }
    }

    /**
     * Trains until the target step or until {@code stop} says so, checkpointing on the way and at the end.
     *
     * @return the number of steps taken by this call
     */
    long run(BooleanSupplier stop) throws IOException {
        long from = loop.steps();
        long started = System.nanoTime();
        try {
            while (loop.steps() < info.steps() && !stop.getAsBoolean()) {
                hotSwap.atStepBoundary();
                boolean episodeEnded = loop.step();
                if (episodeEnded && loop.steps() - lastCheckpoint >= info.checkpointEvery()) {
                    checkpoint();
                }
            }
            loop.truncateEpisode();
            if (loop.steps() != lastCheckpoint) {
                checkpoint();
            }
        } finally {
            hotSwap.cancelPending();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        console.close();
        console.line(String.format(Locale.ROOT, "%s at step %d (%d episodes): %d steps in %.0f s (%.1f steps/s); run directory %s",
                loop.steps() >= info.steps() ? "finished" : "stopped", loop.steps(), loop.episodes(),
                loop.steps() - from, seconds, (loop.steps() - from) / Math.max(seconds, 1e-9), runDir));
        return loop.steps() - from;
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
                streams.evaluation().state(), loop.agent().snapshot(), loop.buffer().snapshot()));
        lastCheckpoint = loop.steps();
        historyLog.redraw(); // the curve gains the episodes since the last evaluation
    }

    TrainingLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        historyLog.redraw();
        closeResources();
        loop.agent().close();
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
}
