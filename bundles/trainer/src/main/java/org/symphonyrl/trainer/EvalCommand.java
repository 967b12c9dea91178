package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;
import org.symphonyrl.api.random.RandomStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code symphony eval RUN_DIR}: noise-free episodes with the agent of the run's last checkpoint. */
@Component(service = Function.class, property = {
        "symphony.command=eval",
        "symphony.command.summary=Evaluate a run's agent without noise: eval RUN_DIR [--episodes N]."})
public final class EvalCommand implements Function<String[], Integer> {

    private final CommandSupport support = new CommandSupport();
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Override
    public Integer apply(String[] args) {
        return support.execute("eval", new Options(), args);
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Runs noise-free episodes (active on, no noise) with the agent of one of the run's checkpoints:"
                    + " the newest that verifies (default), the best evaluated one, or the one of a given step. Works on"
                    + " a live run; reads only state.json and agent.bin, verified.")
    final class Options implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
        String runDir;

        @Option(names = "--episodes", paramLabel = "N", description = "Episodes (default: the run's evaluation episodes).")
        Integer episodes;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the episodes' reset seeds (default: the run's seed).")
        Long seed;

        @Option(names = "--checkpoint", paramLabel = "last|best|STEP", defaultValue = "last",
                description = "Which checkpoint's agent: the newest (default), the best evaluated, or that of step STEP.")
        String which;

        @Override
        public Integer call() throws IOException {
            Path dir = RunDirectory.existing(runDir);
            RunInfo info = RunInfo.read(dir);
            int n = episodes != null ? episodes : info.hyperparameters().evaluationEpisodes();
            CommandSupport.positive("--episodes", n);
            CheckpointStore.Which wanted = CheckpointStore.Which.parse(which);
            CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"));
            Optional<CheckpointStore.AgentCheckpoint> found = store.agent(wanted);
            store.skipped().forEach(s -> System.err.println("symphony eval: " + s));
            if (found.isEmpty()) {
                if (!store.skipped().isEmpty()) {
                    throw new TrainingRun.RunFailedException("no " + (wanted == CheckpointStore.Which.BEST ? "best "
                            : "") + "checkpoint of " + dir + " verifies (see above)", null);
                }
                throw new IllegalArgumentException(dir + " has no " + (wanted == CheckpointStore.Which.BEST
                        ? "best checkpoint yet (one is kept from the first evaluation on)" : wanted.step() != null
                        ? "checkpoint of step " + wanted.step() : "checkpoint yet"));
            }
            CheckpointStore.AgentCheckpoint checkpoint = found.get();
            Services services = new Services(context);
            try (Environment env = services.environmentFactory(info.environment()).create(info.environment(), Map.of());
                 Agent agent = services.agentFactory(checkpoint.agentKind()).create(env.spec(), info.hyperparameters(),
                         new RunStreams(info.seed()).agentSeed())) {
                agent.restore(checkpoint.agent());
                RandomStream seeds = RandomStream.derive(seed != null ? seed : info.seed(), "eval-command");
                Evaluation.Result r = Evaluation.run(agent, env, n, info.hyperparameters().episodeLimit(), seeds,
                        new BadValues(env.spec().observationSize()));
                EvaluationEvent e = Evaluation.event(checkpoint.step(), r.returns());
                System.out.printf(Locale.ROOT, "%s at step %d%s: evaluation return %.1f ± %.1f over %d noise-free episodes"
                                + " (min %.1f, max %.1f)%n", info.environment(), checkpoint.step(),
                        wanted == CheckpointStore.Which.BEST ? " (best checkpoint)" : "", e.mean(), e.std(), n,
                        Arrays.stream(r.returns()).min().orElse(Double.NaN),
                        Arrays.stream(r.returns()).max().orElse(Double.NaN));
                if (r.cut() > 0) {
                    System.out.printf(Locale.ROOT, "%d of %d episodes were cut short (%s); their returns count up to"
                            + " the cut%n", r.cut(), n, r.lastCut());
                }
            }
            return 0;
        }
    }
}
