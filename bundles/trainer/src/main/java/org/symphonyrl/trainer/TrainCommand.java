package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code symphony train}: starts a run in a new run directory. */
@Component(service = Function.class, property = {
        "symphony.command=train",
        "symphony.command.summary=Train an agent on an environment (embedded Pendulum by default, or a Gymnasium id)."})
public final class TrainCommand implements Function<String[], Integer> {

    static final String DEFAULT_ENV = "Pendulum-v1";
    /**
     * Steps between checkpoints unless --checkpoint-every says otherwise. A checkpoint is taken at the first
     * episode end after them, so a crash loses at most this plus one episode of steps (docs/training.md gives
     * the figures at Humanoid size).
     */
    static final int DEFAULT_CHECKPOINT_EVERY = 1000;
    /** The bridge's error code for an id Gymnasium does not know (bridge-python/PROTOCOL.md, "Errors"). */
    static final String UNKNOWN_ENV_ID = "unknown_env_id";

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
        return support.execute("train", new Options(args), args);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Trains the Symphony agent (docs/algorithm.md) and writes a run directory: run.json, episodes.csv, "
                    + "history.csv, returns.png and checkpoints/. While it runs, 'symphony swap RUN_DIR' or files "
                    + "dropped in RUN_DIR/hot-deploy/ swap the buffer or update the agent bundle.")
    final class Options implements Callable<Integer> {
        private final String[] raw;

        Options(String[] raw) {
            this.raw = raw;
        }

        @Option(names = "--env", paramLabel = "ID", defaultValue = DEFAULT_ENV,
                description = "Environment id (default ${DEFAULT-VALUE}, embedded, no Python); a Gymnasium id runs through the bridge.")
        String env;

        @Option(names = "--preset", paramLabel = "NAME|FILE", defaultValue = "S3",
                description = "Shipped preset (S3, SE, S2, ED, S~2) or a preset JSON file (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "100000",
                description = "Environment steps to train, exploration included (default ${DEFAULT-VALUE}).")
        long steps;

        @Option(names = "--seed", paramLabel = "S", description = "Run seed; every random stream derives from it (default: random, recorded in run.json).")
        Long seed;

        @Option(names = "--explore", paramLabel = "N_exp",
                description = "Exploration steps; capacity, width and batch are derived from it (docs/algorithm.md) unless the preset fixes them.")
        Integer explore;

        @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default runs/ENV-DATE-TIME under the project).")
        Path runDir;

        @Option(names = "--buffer", paramLabel = "KIND", defaultValue = "fading", description = "Replay buffer kind (default ${DEFAULT-VALUE}).")
        String buffer;

        @Option(names = "--agent", paramLabel = "KIND", defaultValue = "symphony", description = "Agent kind (default ${DEFAULT-VALUE}).")
        String agent;

        @Option(names = "--eval-every", paramLabel = "N", description = "Steps between evaluations (default: the preset's, 2,500).")
        Integer evalEvery;

        @Option(names = "--eval-episodes", paramLabel = "N", description = "Noise-free episodes per evaluation (default: the preset's, 25).")
        Integer evalEpisodes;

        @Option(names = "--checkpoint-every", paramLabel = "N",
                description = "Checkpoint at the first episode end after every N steps (default " + DEFAULT_CHECKPOINT_EVERY
                        + "; a crash loses at most N steps plus one episode).")
        Integer checkpointEvery;

        @Option(names = "--quiet", description = "No progress bar; only evaluation, swap and summary lines.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            CommandSupport.positive("--steps", steps);
            Services services = new Services(context);
            Preset p = services.preset(preset, CommandSupport.workingDirectory());
            Hyperparameters params = explore != null ? ExploreOption.resolve(p, explore) : p.hyperparameters();
            CommandSupport.positive("the preset's explorationSteps", params.explorationSteps());
            if (evalEvery != null || evalEpisodes != null) {
                Hyperparameters.Builder b = params.toBuilder();
                if (evalEvery != null) {
                    CommandSupport.positive("--eval-every", evalEvery);
                    b.evaluationInterval(evalEvery);
                }
                if (evalEpisodes != null) {
                    CommandSupport.positive("--eval-episodes", evalEpisodes);
                    b.evaluationEpisodes(evalEpisodes);
                }
                params = b.build();
            }
            if (checkpointEvery != null) {
                CommandSupport.positive("--checkpoint-every", checkpointEvery);
            }
            EnvSpec spec = probeEnvironment(services); // an unknown id fails here, before anything is written
            services.agentFactory(agent);
            services.bufferFactory(buffer);
            ExploreOption.warnings(p, params, steps).forEach(w -> System.err.println("symphony train: warning: " + w));
            long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1L << 31);

            List<String> command = new ArrayList<>(List.of("symphony", "train"));
            command.addAll(List.of(raw));
            RunInfo info = new RunInfo(1, command, env, p.name(), params, runSeed, steps,
                    checkpointEvery != null ? checkpointEvery : DEFAULT_CHECKPOINT_EVERY, agent, buffer,
                    services.bundleVersions(), TrainingRun.now(), List.of(), spec);
            RunDirectory.Made dir = runDirectory();
            boolean lockExisted = Files.exists(dir.path().resolve(RunLock.FILE));
            boolean locked = false;
            boolean started = false;
            try (RunLock lock = RunLock.acquire(dir.path())) {
                locked = true;
                if (Files.exists(dir.path().resolve(RunInfo.FILE))) {
                    throw new IllegalArgumentException("run directory " + dir.path() + " already holds a run; resume it"
                            + " with 'symphony resume " + dir.path() + "' or choose another --run-dir");
                }
                CheckpointStore store = new CheckpointStore(dir.path().resolve("checkpoints"));
                try (TrainingRun run = new TrainingRun(services, dir.path(), info, store, Optional.empty(), false, quiet,
                        System.out)) {
                    System.out.printf(Locale.ROOT, "run %s: %s, preset %s, seed %d, %,d steps (N_exp %,d, h %d,"
                                    + " capacity %,d, B %d, G %d)%n", dir.path(), env, p.name(), runSeed, steps,
                            params.explorationSteps(), params.hidden(), params.capacity(), params.batchSize(),
                            params.updatesPerStep());
                    run.start(info);
                    started = true;
                    lock.keepPid();
                    return run.run(support::stopRequested) ? 0 : CommandSupport.EXIT_INTERRUPTED;
                }
            } finally {
                if (locked && !started) {
                    undo(dir, lockExisted); // a train that never got under way leaves nothing behind
                }
            }
        }

        private void undo(RunDirectory.Made dir, boolean lockExisted) throws IOException {
            if (dir.created()) {
                CheckpointStore.deleteTree(dir.path());
            } else if (!lockExisted) {
                Files.deleteIfExists(dir.path().resolve(RunLock.FILE));
            }
        }

        /**
         * Makes (and closes) the environment once: a factory may serve a pattern of ids it cannot all make. An id
         * nobody knows is "unknown"; one that is known but cannot be served (Gymnasium's CartPole-v1: Discrete
         * actions) is "unsupported", with the reason. Returns the spec, which run.json records.
         */
        private EnvSpec probeEnvironment(Services services) {
            try (Environment probe = services.environmentFactory(env).create(env, Map.of())) {
                return probe.spec();
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                if (m.startsWith("unknown environment")) {
                    throw e;
                }
                if (m.startsWith(UNKNOWN_ENV_ID)) {
                    throw new IllegalArgumentException("unknown environment '" + env + "': " + m, e);
                }
                // the bridge's "code: id: detail" read as the detail alone
                String reason = m.replaceFirst("^[a-z_]+: ", "");
                reason = reason.startsWith(env + ": ") ? reason.substring(env.length() + 2) : reason;
                throw new IllegalArgumentException("unsupported environment '" + env + "': " + reason, e);
            }
        }

        /**
         * The run's directory: {@code --run-dir} (created 0700 unless it exists), or a new one under the runs
         * folder ({@value RunDirectory#RUNS_PROPERTY}, default {@code runs/} under the project), unique even for
         * runs started in the same second.
         */
        private RunDirectory.Made runDirectory() {
            if (runDir != null) {
                return RunDirectory.create(CommandSupport.workingDirectory().resolve(runDir).normalize());
            }
            String runs = System.getProperty(RunDirectory.RUNS_PROPERTY);
            Path parent = runs != null ? CommandSupport.workingDirectory().resolve(runs).normalize()
                    : Path.of(context.getProperty("symphony.home") == null ? "." : context.getProperty("symphony.home"))
                      .resolve("runs");
            return new RunDirectory.Made(RunDirectory.createUnique(parent,
                    RunDirectory.defaultName(env, LocalDateTime.now())), true);
        }
    }
}
