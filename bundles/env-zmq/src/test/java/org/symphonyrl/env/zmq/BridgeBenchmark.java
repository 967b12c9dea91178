package org.symphonyrl.env.zmq;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/**
 * Per-step overhead of the bridge at Humanoid size (observation 348, action 17): N random-action steps of
 * Humanoid-v5 through the bridge from Java, and the same N steps (same actions, same reset seeds, so the same
 * simulation work) in-process in Python, in the same run. Overhead = (bridge time - in-process time) / N.
 * Not a test: run with {@code bench/bridge [steps [repeats]]}; results go to docs/benchmarks/bridge.md.
 */
public final class BridgeBenchmark {

    private static final String ID = "Humanoid-v5";
    private static final long SEED_BASE = 1000;

    private BridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path python = TestPython.python();
        System.out.printf("bridge benchmark: %s, %d random-action steps, best and median of %d repeats%n", ID, steps, repeats);
        System.out.printf("machine: %d cores, load average %.2f at start%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(BridgeSettings.ownServer(python));
             Environment env = factory.create(ID, Map.of())) {
            List<float[]> actions = GymnasiumBridgeTest.randomActions(env.spec(), steps, 42);
            Path file = Files.createTempFile("bridge-benchmark", ".f32");
            writeActions(actions, file);

            runThroughBridge(env, actions); // warm-up: JIT, caches, first-episode costs
            List<Double> bridge = new ArrayList<>();
            List<Double> inProcess = new ArrayList<>();
            double bridgeCpu = Double.MAX_VALUE;
            double inProcessCpu = Double.MAX_VALUE;
            double javaShare = 0;
            ProcessHandle server = ProcessHandle.of(factory.bridge().serverPid()).orElseThrow();
            int episodes = 0;
            for (int r = 0; r < repeats; r++) { // interleaved, so a change in the machine's load hits both sides
                double javaBefore = cpuSeconds(ProcessHandle.current());
                double serverBefore = cpuSeconds(server);
                long start = System.nanoTime();
                episodes = runThroughBridge(env, actions);
                bridge.add((System.nanoTime() - start) / 1e9);
                double javaCpu = cpuSeconds(ProcessHandle.current()) - javaBefore;
                double serverCpu = cpuSeconds(server) - serverBefore;
                if (javaCpu + serverCpu < bridgeCpu) {
                    bridgeCpu = javaCpu + serverCpu;
                    javaShare = javaCpu;
                }
                JsonObject py = inProcess(python, file, 1);
                inProcess.add(py.get("best_s").getAsDouble());
                inProcessCpu = Math.min(inProcessCpu, py.get("cpu_s").getAsDouble());
                if (py.get("episodes").getAsInt() != episodes) {
                    throw new IllegalStateException("both sides must run the same episodes: bridge " + episodes
                            + ", in-process " + py.get("episodes"));
                }
            }
            Files.delete(file);
            report(steps, episodes, bridge, inProcess);
            System.out.printf("CPU per step (both processes; others' load does not inflate it): in-process %.1f µs, "
                    + "bridge %.1f µs (Java %.1f, Python server %.1f), added %.1f µs%n", 1e6 * inProcessCpu / steps,
                    1e6 * bridgeCpu / steps, 1e6 * javaShare / steps, 1e6 * (bridgeCpu - javaShare) / steps,
                    1e6 * (bridgeCpu - inProcessCpu) / steps);

            Bridge transport = factory.bridge();
            double bestPing = Double.MAX_VALUE;
            double pingJavaCpu = Double.MAX_VALUE;
            double pingServerCpu = Double.MAX_VALUE;
            for (int r = 0; r < repeats; r++) {
                double javaBefore = cpuSeconds(ProcessHandle.current());
                double serverBefore = cpuSeconds(server);
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    transport.ping();
                }
                bestPing = Math.min(bestPing, (System.nanoTime() - start) / 1e9);
                pingJavaCpu = Math.min(pingJavaCpu, cpuSeconds(ProcessHandle.current()) - javaBefore);
                pingServerCpu = Math.min(pingServerCpu, cpuSeconds(server) - serverBefore);
            }
            System.out.printf("empty round trip (ping: header only, no environment): %.1f µs wall, CPU Java %.1f µs + "
                    + "Python server %.1f µs (best of %d x %d)%n", 1e6 * bestPing / steps, 1e6 * pingJavaCpu / steps,
                    1e6 * pingServerCpu / steps, repeats, steps);
        }
    }

    /** Steps through all actions, resetting episode k with seed SEED_BASE + k; returns the episodes ended. */
    private static int runThroughBridge(Environment env, List<float[]> actions) {
        int episode = 0;
        env.reset(SEED_BASE + episode);
        for (float[] action : actions) {
            StepResult r = env.step(action);
            if (r.done()) {
                episode++;
                env.reset(SEED_BASE + episode);
            }
        }
        return episode;
    }

    /** CPU time of a process so far, all threads (Linux accounts it in 10 ms ticks: use runs of seconds). */
    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
    }

    private static JsonObject inProcess(Path python, Path actions, int repeats) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python.toString(), "src/test/resources/bridge_inprocess_benchmark.py", ID,
                actions.toString(), Long.toString(SEED_BASE), Integer.toString(repeats))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("in-process benchmark failed");
        }
        return JsonParser.parseString(out.trim()).getAsJsonObject();
    }

    private static void writeActions(List<float[]> actions, Path file) throws IOException {
        int a = actions.get(0).length;
        float[] flat = new float[actions.size() * a];
        for (int i = 0; i < actions.size(); i++) {
            System.arraycopy(actions.get(i), 0, flat, i * a, a);
        }
        Files.write(file, Float32Frames.encode(flat));
    }

    private static void report(int steps, int episodes, List<Double> bridge, List<Double> inProcess) {
        double bridgeBest = bridge.stream().mapToDouble(d -> d).min().orElseThrow();
        double pyBest = inProcess.stream().mapToDouble(d -> d).min().orElseThrow();
        double bridgeMedian = median(bridge);
        double pyMedian = median(inProcess);
        System.out.printf("episodes per run: %d (resets included on both sides)%n", episodes);
        System.out.printf("%-28s %12s %12s %14s%n", "", "steps/s", "µs/step", "(median µs)");
        System.out.printf("%-28s %12.0f %12.1f %14.1f%n", "in-process Python", steps / pyBest, 1e6 * pyBest / steps,
                1e6 * pyMedian / steps);
        System.out.printf("%-28s %12.0f %12.1f %14.1f%n", "through the bridge (Java)", steps / bridgeBest,
                1e6 * bridgeBest / steps, 1e6 * bridgeMedian / steps);
        System.out.printf("added per step: %.1f µs (best), %.1f µs (median); goal <= 60 µs%n",
                1e6 * (bridgeBest - pyBest) / steps, 1e6 * (bridgeMedian - pyMedian) / steps);
        System.out.printf("bridge / in-process time: %.2f (best)%n", bridgeBest / pyBest);
        System.out.printf("load average at end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
