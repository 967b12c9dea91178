package org.symphonyrl.sac;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;
import org.symphonyrl.api.random.RandomStream;
import org.symphonyrl.env.embedded.EmbeddedEnvironmentFactory;

/**
 * Benchmark (not a test): SAC with its default configuration learning the embedded Pendulum-v1, the loop of
 * the references (one update per step after the warm-up, a FIFO buffer with uniform sampling), evaluated
 * with deterministic episodes at fixed intervals; then the update time at Humanoid size (S 348, A 17,
 * hidden 256, batch 256). Run with {@code bench/sac-pendulum}; results in docs/benchmarks/sac.md.
 *
 * <pre>
 *   PendulumBenchmark [steps [seed [evalEvery [evalEpisodes [humanoidUpdates]]]]]   defaults 20000 1 2000 10 100
 * </pre>
 */
public final class PendulumBenchmark {

    private PendulumBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int evalEvery = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int evalEpisodes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int humanoidUpdates = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        System.out.printf(Locale.ROOT, "load average %s%n", loadAverage());
        learn(steps, seed, evalEvery, evalEpisodes);
        if (humanoidUpdates > 0) {
            humanoidUpdateTime(humanoidUpdates);
        }
        System.out.printf(Locale.ROOT, "load average %s%n", loadAverage());
    }

    static void learn(int steps, long seed, int evalEvery, int evalEpisodes) {
        EmbeddedEnvironmentFactory factory = new EmbeddedEnvironmentFactory();
        SacConfig config = SacConfigs.defaults();
        try (Environment env = factory.create("Pendulum-v1", Map.of());
             Environment evalEnv = factory.create("Pendulum-v1", Map.of());
             SacAgent agent = new SacAgent(env.spec(), config, seed)) {
            EnvSpec spec = env.spec();
            FifoReplay buffer = new FifoReplay(steps, spec.observationSize(), spec.actionSize(), config.gamma(),
                    RandomStream.derive(seed, "bench.replay"));
            System.out.printf(Locale.ROOT, "SAC on %s: %d steps, seed %d, warm-up %d, hidden %d, batch %d, "
                            + "evaluation of %d deterministic episodes every %d steps%n", spec.id(), steps, seed,
                    config.warmupSteps(), config.hidden(), config.batchSize(), evalEpisodes, evalEvery);
            System.out.println("step,eval_return,train_return_last10,alpha,entropy,critic_loss,mean_q,"
                    + "elapsed_s,update_ms");
            long start = System.nanoTime();
            long updateNanos = 0;
            long updatesTimed = 0;
            List<Double> episodeReturns = new ArrayList<>();
            double episodeReturn = 0;
            float[] obs = env.reset(RandomStream.derive(seed, "bench.env").nextLong());
            for (int step = 1; step <= steps; step++) {
                float[] action = agent.act(obs, ActMode.TRAIN);
                StepResult r = env.step(action);
                buffer.add(obs, action, r.reward(), r.observation(), r.terminated());
                episodeReturn += r.reward();
                if (r.terminated() || r.truncated()) {
                    episodeReturns.add(episodeReturn);
                    episodeReturn = 0;
                    obs = env.reset();
                } else {
                    obs = r.observation();
                }
                if (agent.warmedUp()) {
                    for (int u = 0; u < config.updatesPerStep(); u++) {
                        Batch batch = buffer.sample(config.batchSize());
                        long t0 = System.nanoTime();
                        agent.update(batch);
                        updateNanos += System.nanoTime() - t0;
                        updatesTimed++;
                    }
                }
                if (step % evalEvery == 0) {
                    double evaluation = evaluate(agent, evalEnv, seed, step, evalEpisodes);
                    Map<String, Double> m = agent.metrics();
                    System.out.printf(Locale.ROOT, "%d,%.1f,%.1f,%.4f,%.3f,%.4f,%.2f,%.1f,%.2f%n", step, evaluation,
                            lastMean(episodeReturns, 10), m.getOrDefault("alpha", Double.NaN),
                            m.getOrDefault("entropy", Double.NaN), m.getOrDefault("criticLoss", Double.NaN),
                            m.getOrDefault("meanQ", Double.NaN), (System.nanoTime() - start) / 1e9,
                            updatesTimed == 0 ? Double.NaN : updateNanos / 1e6 / updatesTimed);
                }
            }
            System.out.printf(Locale.ROOT, "wall time %.1f s for %d steps and %d updates (%.2f ms per update, "
                            + "evaluations included in the wall time)%n", (System.nanoTime() - start) / 1e9, steps,
                    agent.updates(), updatesTimed == 0 ? Double.NaN : updateNanos / 1e6 / updatesTimed);
        }
    }

    /** Mean return of deterministic episodes, each seeded from the run seed, the step and its index. */
    static double evaluate(SacAgent agent, Environment env, long seed, int step, int episodes) {
        RandomStream seeds = RandomStream.derive(seed, "bench.eval");
        double total = 0;
        for (int e = 0; e < episodes; e++) {
            float[] obs = env.reset(seeds.nextLong());
            while (true) {
                StepResult r = env.step(agent.act(obs, ActMode.EVALUATE));
                total += r.reward();
                if (r.terminated() || r.truncated()) {
                    break;
                }
                obs = r.observation();
            }
        }
        return total / episodes;
    }

    private static double lastMean(List<Double> values, int n) {
        return values.isEmpty() ? Double.NaN
                : values.subList(Math.max(0, values.size() - n), values.size()).stream()
                        .mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** ms per update at Humanoid size, 10 warm-up updates, then 10 timed rounds (fastest and median). */
    static void humanoidUpdateTime(int updates) {
        int s = 348;
        int a = 17;
        int b = 256;
        float[] low = new float[a];
        float[] high = new float[a];
        Arrays.fill(low, -0.4f);
        Arrays.fill(high, 0.4f);
        EnvSpec spec = Specs.spec(s, low, high);
        RandomStream data = new RandomStream(42);
        Batch[] batches = new Batch[4];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = Specs.batch(data, b, s, a);
        }
        try (SacAgent agent = new SacAgent(spec, SacConfigs.from(Map.of("warmupSteps", 0)), 1)) {
            for (int i = 0; i < 10; i++) {
                agent.update(batches[i % batches.length]);
            }
            int rounds = 10;
            double[] wall = new double[rounds];
            double[] cpu = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                for (int i = 0; i < updates / rounds; i++) {
                    agent.update(batches[i % batches.length]);
                }
                wall[round] = (System.nanoTime() - t0) / 1e6 / (updates / rounds);
                cpu[round] = (processCpuNanos() - c0) / 1e6 / (updates / rounds);
            }
            float[] obs = SacAgent.standardNormals(data, s);
            for (int i = 0; i < 500; i++) {
                agent.act(obs, ActMode.TRAIN);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                agent.act(obs, ActMode.TRAIN);
            }
            double act = (System.nanoTime() - t0) / 1e6 / 2000;
            System.out.printf(Locale.ROOT, "Humanoid size (S %d, A %d, hidden %d, batch %d): update fastest round %.2f ms,"
                            + " median %.2f ms, process CPU %.2f ms (rounds %s); act %.3f ms%n", s, a,
                    agent.config().hidden(), b, Arrays.stream(wall).min().orElseThrow(), median(wall), median(cpu),
                    Arrays.toString(Arrays.stream(wall).map(x -> Math.round(x * 100) / 100.0).toArray()), act);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
