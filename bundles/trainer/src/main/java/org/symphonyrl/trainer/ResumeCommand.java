package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code symphony resume RUN_DIR}: continues a run from its last checkpoint. */
@Component(service = Function.class, property = {
        "symphony.command=resume",
        "symphony.command.summary=Resume a training run from its last checkpoint: resume RUN_DIR."})
public final class ResumeCommand implements Function<String[], Integer> {

    private final CommandSupport support = new CommandSupport();
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        support.stopAndWait();
    }

    @Override
    public Integer apply(String[] args) {
        return support.execute("resume", new Options(), args);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Continues a run from its last checkpoint with the settings in its run.json: the same step, "
                    + "episode, agent, buffer contents and random streams. Log rows written after that checkpoint (by "
                    + "a run that was killed) are dropped, as those steps are taken again.")
    final class Options implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
        String runDir;

        @Option(names = "--steps", paramLabel = "N", description = "New total number of steps (default: the run's).")
        Long steps;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            Path dir = CommandSupport.existingRun(runDir);
            RunInfo info = RunInfo.read(dir);
            if (steps != null) {
                CommandSupport.positive("--steps", steps);
                info = info.withSteps(steps);
            }
            Checkpoint checkpoint = new CheckpointStore(dir.resolve("checkpoints")).latest().orElseThrow(
                    () -> new IllegalArgumentException(dir + " has no checkpoint to resume from; start it again with train"));
            if (checkpoint.step() >= info.steps()) {
                throw new IllegalArgumentException("the run is complete (step " + checkpoint.step() + " of "
                        + info.steps() + "); give --steps N with N above " + checkpoint.step() + " to train further");
            }
            info = info.resumedAt(Instant.now().toString(), checkpoint.buffer().kind());
            info.write(dir);
            Services services = new Services(context);
            try (TrainingRun run = new TrainingRun(services, dir, info, Optional.of(checkpoint), quiet, System.out)) {
                run.run(support::stopRequested);
            }
            return 0;
        }
    }
}
