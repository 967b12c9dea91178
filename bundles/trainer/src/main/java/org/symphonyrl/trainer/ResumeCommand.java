package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Path;
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
            description = "Continues a run from its newest checkpoint that verifies (each one skipped is named with the"
                    + " reason), with the settings in its run.json: the same step, episode, agent, buffer contents and"
                    + " random streams. A run killed before its first checkpoint starts again from step 0 with its"
                    + " seed. Log rows written after that checkpoint (by a run that was killed) are dropped, as those"
                    + " steps are taken again. Refused while the run is live.")
    final class Options implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
        String runDir;

        @Option(names = "--steps", paramLabel = "N", description = "New total number of steps (default: the run's).")
        Long steps;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            Path dir = RunDirectory.existing(runDir);
            try (RunLock lock = RunLock.acquire(dir)) {
                RunInfo info = RunInfo.read(dir);
                if (steps != null) {
                    CommandSupport.positive("--steps", steps);
                    info = info.withSteps(steps);
                }
                CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"));
                Optional<Checkpoint> checkpoint = store.newestResumable();
                store.skipped().forEach(s -> System.err.println("symphony resume: " + s));
                if (checkpoint.isEmpty() && !store.skipped().isEmpty()) {
                    throw new TrainingRun.RunFailedException("no checkpoint of " + dir + " verifies (see above); they"
                            + " are left as they are. To start the run again from step 0, move them out of "
                            + store.directory(), null);
                }
                long at = checkpoint.map(Checkpoint::step).orElse(0L);
                if (at >= info.steps()) {
                    throw new IllegalArgumentException("the run is complete (step " + at + " of " + info.steps()
                            + "); give --steps N with N above " + at + " to train further");
                }
                if (checkpoint.isEmpty()) {
                    System.out.println("no checkpoint yet: " + dir + " starts again from step 0 with its seed "
                            + info.seed());
                } else if (!store.skipped().isEmpty()) {
                    System.out.println("resuming from " + CheckpointStore.stepName(at)
                            + ", the newest checkpoint that verifies");
                }
                Services services = new Services(context);
                try (TrainingRun run = new TrainingRun(services, dir, info, store, checkpoint, true, quiet, System.out)) {
                    // the resume is recorded once the run is really under way; a failure before leaves run.json as it was
                    run.start(info.resumedAt(TrainingRun.now(), checkpoint.map(c -> c.buffer().kind())
                            .orElse(info.bufferKind())));
                    lock.keepPid();
                    return run.run(support::stopRequested) ? 0 : CommandSupport.EXIT_INTERRUPTED;
                }
            }
        }
    }
}
