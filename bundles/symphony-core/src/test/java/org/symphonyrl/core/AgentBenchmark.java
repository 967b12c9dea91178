package org.symphonyrl.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.random.RandomStream;

/**
 * Benchmark (not a test): times {@code update()} and {@code act()} at Humanoid size (S = 348,
 * A = 17) with S3's sizes (h 512, q 128, 3 critics, B 384), and in the same run the engine's
 * matrix-product rate, to report the share of peak one update uses. Run with {@code bench/agent}.
 */
public final class AgentBenchmark {

    static final int S = 348;
    static final int A = 17;
    static final int H = 512;
    static final int QN = 128;
    static final int K = 3;
    static final int B = 384;
    /** Timed rounds; the machine is shared, so the fastest round is reported next to the median. */
    static final int ROUNDS = 10;

    public static void main(String[] args) {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int acts = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Engine engine = Engine.getEngine(PyTorchComputeEngine.ENGINE);
        System.out.printf(Locale.ROOT, "engine %s %s, intra-op threads %d, available processors %d, load average %s%n",
                engine.getEngineName(), engine.getVersion(), ai.djl.pytorch.jni.JniUtils.getNumThreads(),
                Runtime.getRuntime().availableProcessors(), loadAverage());

        double large = matmulRate(engine, 1024, 1024, 1024, 20);
        double layer = matmulRate(engine, B, H, H, 200);
        double peak = Math.max(large, layer);
        System.out.printf(Locale.ROOT, "matmul rate: 1024^3 %.1f GFLOP/s, 384x512x512 %.1f GFLOP/s (peak: the larger)%n",
                large, layer);

        Hyperparameters params = Tiny.params(H, QN, K, B).build();
        EnvSpec spec = Tiny.spec(S, A);
        RandomStream data = new RandomStream(42);
        Batch[] batches = new Batch[4];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = SnapshotTest.batch(data, B, S, A);
        }
        try (SymphonyAgent agent = new SymphonyAgent(spec, params, 1)) {
            for (int i = 0; i < 10; i++) {
                agent.update(batches[i % batches.length]);
            }
            double[] perUpdate = new double[ROUNDS];
            double[] cpuPerUpdate = new double[ROUNDS];
            for (int round = 0; round < perUpdate.length; round++) {
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                for (int i = 0; i < updates / perUpdate.length; i++) {
                    agent.update(batches[i % batches.length]);
                }
                perUpdate[round] = (System.nanoTime() - t0) / 1e6 / (updates / perUpdate.length);
                cpuPerUpdate[round] = (processCpuNanos() - c0) / 1e6 / (updates / perUpdate.length);
            }
            float[][] observations = new float[16][];
            for (int i = 0; i < observations.length; i++) {
                observations[i] = LimitedNoise.standardNormals(data, S);
            }
            for (int i = 0; i < 500; i++) {
                agent.act(observations[i % 16], ActMode.TRAIN);
            }
            double[] perAct = new double[ROUNDS];
            for (int round = 0; round < perAct.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < acts / perAct.length; i++) {
                    agent.act(observations[i % 16], ActMode.TRAIN);
                }
                perAct[round] = (System.nanoTime() - t0) / 1e6 / (acts / perAct.length);
            }
            double update = median(perUpdate);
            double act = median(perAct);
            double flop = updateFlop();
            double fastest = Arrays.stream(perUpdate).min().orElseThrow();
            System.out.printf(Locale.ROOT, "update: fastest round %.2f ms, median %.2f ms, process CPU %.2f ms (rounds %s)%n",
                    fastest, update, median(cpuPerUpdate), fmt(perUpdate));
            System.out.printf(Locale.ROOT, "act:    fastest round %.3f ms, median %.3f ms (rounds %s)%n",
                    Arrays.stream(perAct).min().orElseThrow(), act, fmt(perAct));
            System.out.printf(Locale.ROOT, "matrix-product work of one update: %.2f GFLOP -> %.1f GFLOP/s in the fastest round"
                    + " = %.0f%% of peak%n", flop / 1e9, flop / 1e9 / (fastest / 1e3), 100 * flop / 1e9 / (fastest / 1e3) / peak);
            System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
            System.out.printf(Locale.ROOT, "goal: update <= 35 ms (authors' PyTorch: 59 ms), act <= 0.2 ms (authors': 0.17 ms)%n");
        }
    }

    /**
     * Floating-point work of the matrix products in one update (2 per multiply-add), from the layer
     * sizes: the forward pass of each network, the weight gradients of the online networks and the
     * input gradients that backpropagation needs: through the target critics down to the action
     * columns of their first layer, through the actor down to its first layer (states are data).
     * The online critics need no input gradient (their inputs are data).
     */
    static double updateFlop() {
        double actor = layers(S, H, 3 * A);
        double critic = K * layers(S + A, H, QN);
        double forward = actor + 2 * critic;              // actor, target critics, online critics
        double weightGradients = actor + critic;          // online networks only
        double inputGradients = 2.0 * B * ((double) H * H + (double) H * 3 * A)  // actor, layers 2 and 3
                + K * 2.0 * B * ((double) A * H + (double) H * H + (double) H * QN); // target critics
        return forward + weightGradients + inputGradients;
    }

    private static double layers(int in, int hidden, int out) {
        return 2.0 * B * ((double) in * hidden + (double) hidden * hidden + (double) hidden * out);
    }

    /** GFLOP/s of C = A·B with A m×k and B k×n, best of a few timed rounds. */
    static double matmulRate(Engine engine, int m, int k, int n, int repeats) {
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(m, k));
            NDArray b = manager.randomUniform(-1, 1, new Shape(k, n));
            double best = 0;
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    a.matMul(b).close();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 2.0 * m * k * n * repeats / seconds / 1e9);
            }
            return best;
        }
    }

    /** CPU time of every thread of this process (the engine's worker threads included). */
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

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(String.format(Locale.ROOT, b.length() == 0 ? "%.3f" : ", %.3f", x));
        }
        return "[" + b + "]";
    }
}
