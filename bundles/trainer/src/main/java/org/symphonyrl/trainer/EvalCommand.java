package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
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
            description = "Runs noise-free episodes (active on, no noise) with the agent of the run's last checkpoint.")
    final class Options implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
        String runDir;

        @Option(names = "--episodes", paramLabel = "N", description = "Episodes (default: the run's evaluation episodes).")
        Integer episodes;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the episodes' reset seeds (default: the run's seed).")
        Long seed;

        @Override
        public Integer call() throws IOException {
            Path dir = CommandSupport.existingRun(runDir);
            RunInfo info = RunInfo.read(dir);
            int n = episodes != null ? episodes : info.hyperparameters().evaluationEpisodes();
            CommandSupport.positive("--episodes", n);
            Checkpoint checkpoint = new CheckpointStore(dir.resolve("checkpoints")).latest().orElseThrow(
                    () -> new IllegalArgumentException(dir + " has no checkpoint yet"));
            Services services = new Services(context);
            try (Environment env = services.environmentFactory(info.environment()).create(info.environment(), Map.of());
                 Agent agent = services.agentFactory(info.agentKind()).create(env.spec(), info.hyperparameters(),
                         new RunStreams(info.seed()).agentSeed())) {
                agent.restore(checkpoint.agent());
                RandomStream seeds = RandomStream.derive(seed != null ? seed : info.seed(), "eval-command");
                double[] returns = Evaluation.returns(agent, env, n, info.hyperparameters().episodeLimit(), seeds);
                EvaluationEvent e = Evaluation.event(checkpoint.step(), returns);
                System.out.printf(Locale.ROOT, "%s at step %d: evaluation return %.1f ± %.1f over %d noise-free episodes"
                                + " (min %.1f, max %.1f)%n", info.environment(), checkpoint.step(), e.mean(), e.std(), n,
                        Arrays.stream(returns).min().orElse(Double.NaN), Arrays.stream(returns).max().orElse(Double.NaN));
            }
            return 0;
        }
    }
}
