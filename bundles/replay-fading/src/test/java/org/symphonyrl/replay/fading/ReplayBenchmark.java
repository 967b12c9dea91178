package org.symphonyrl.replay.fading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.symphonyrl.api.Batch;
import org.symphonyrl.replay.storage.Transitions;

/**
 * Benchmark, not a test: the Fading Replay Buffer at Humanoid S3 size. Run through {@code bench/replay}
 * (one JVM per storage precision); the figures go to docs/benchmarks/replay.md.
 *
 * <pre>ReplayBenchmark [float32|float16] [capacity] [observation] [action] [batch]</pre>
 *
 * Prints: storage bytes and the process's resident-memory growth; the time of the exploration fill;
 * mean {@code add} time on a full buffer (with 2% terminals); {@code sample(batch)} time (mean, median,
 * 99th percentile), both also as thread CPU time; one training step (1 add + 3 samples); and, for scale, the time of one
 * rotate-by-copy of the same storage (what a roll of the whole buffer on every add costs).
 */
public final class ReplayBenchmark {

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        boolean half = args.length > 0 && args[0].equals("float16");
        int capacity = args.length > 1 ? Integer.parseInt(args[1]) : 512_000;
        int s = args.length > 2 ? Integer.parseInt(args[2]) : 348;
        int a = args.length > 3 ? Integer.parseInt(args[3]) : 17;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 384;
        int times = 50;
        int exploration = capacity / times;

        System.out.printf("replay benchmark: %s, capacity %,d, observation %d, action %d, batch %d, %d cores,"
                + " load average %s, JVM options %s%n", half ? "float16" : "float32", capacity, s, a, batch,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        Random rng = new Random(1);
        int pool = 4096;
        float[][] states = new float[pool][];
        float[][] actions = new float[pool][];
        for (int i = 0; i < pool; i++) {
            states[i] = gaussian(rng, s);
            actions[i] = gaussian(rng, a);
        }

        long heap0 = heapAfterGc();
        long rss0 = residentBytes();
        long t0 = System.nanoTime();
        FadingReplayBuffer buffer = new FadingReplayBuffer(Transitions.spec(s, a),
                Transitions.params(capacity, times, half, 0, 0), 7);
        long created = System.nanoTime() - t0;
        long rssCreated = residentBytes();

        t0 = System.nanoTime();
        for (int i = 0; i < exploration; i++) {
            buffer.add(states[i % pool], actions[i % pool], rng.nextGaussian(), states[(i + 1) % pool], false);
        }
        buffer.endExploration();
        long fill = System.nanoTime() - t0;
        long rssFull = residentBytes();
        long heapFull = heapAfterGc();
        System.out.printf("storage arrays: %,d bytes (%.3f GB), %.1f bytes per transition%n", buffer.storageBytes(),
                buffer.storageBytes() / 1e9, (double) buffer.storageBytes() / capacity);
        System.out.printf("resident memory: +%.3f GB after create (%.0f ms, alias table included), +%.3f GB after the"
                + " exploration fill (%,d adds + endExploration: %.0f ms)%n", (rssCreated - rss0) / 1e9, created / 1e6,
                (rssFull - rss0) / 1e9, exploration, fill / 1e6);
        System.out.printf("heap held by the full buffer (after a GC): %.3f GB%n", (heapFull - heap0) / 1e9);

        // add on a full buffer: 2% terminals so that recycling is exercised
        int adds = 300_000;
        boolean[] done = new boolean[pool];
        for (int i = 0; i < pool; i++) {
            done[i] = rng.nextInt(50) == 0;
        }
        timeAdds(buffer, states, actions, done, 50_000); // warm-up
        long cpu0 = cpuTime();
        long addNanos = timeAdds(buffer, states, actions, done, adds);
        long addCpu = cpuTime() - cpu0;
        System.out.printf("add: %.3f µs mean over %,d adds (thread CPU time %.3f µs)%n", addNanos / 1e3 / adds, adds,
                addCpu / 1e3 / adds);

        for (int i = 0; i < 300; i++) {
            buffer.sample(batch); // warm-up
        }
        int samples = 3000;
        long[] each = new long[samples];
        long checksum = 0;
        cpu0 = cpuTime();
        for (int i = 0; i < samples; i++) {
            long t = System.nanoTime();
            Batch b = buffer.sample(batch);
            each[i] = System.nanoTime() - t;
            checksum += Float.floatToRawIntBits(b.states()[i % b.states().length]);
        }
        long sampleCpu = cpuTime() - cpu0;
        Arrays.sort(each);
        System.out.printf("sample(%d): %.1f µs mean, %.1f µs median, %.1f µs p99 over %,d samples (thread CPU time"
                + " %.1f µs)%n", batch, mean(each) / 1e3, each[samples / 2] / 1e3, each[samples * 99 / 100] / 1e3,
                samples, sampleCpu / 1e3 / samples);

        int steps = 2000;
        t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            int k = i % pool;
            buffer.add(states[k], actions[k], 0.5, states[(k + 1) % pool], done[k]);
            for (int g = 0; g < 3; g++) {
                checksum += buffer.sample(batch).size();
            }
        }
        System.out.printf("one step (add + 3 × sample(%d)): %.1f µs mean over %,d steps%n", batch,
                (System.nanoTime() - t0) / 1e3 / steps, steps);

        double copy = rotateByCopy(capacity, s, a, half);
        System.out.printf("for scale, one rotate-by-copy of the same storage: %.0f ms%n", copy / 1e6);
        System.out.printf("(checksum %d; load average now %s)%n", checksum,
                Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static long timeAdds(FadingReplayBuffer buffer, float[][] states, float[][] actions, boolean[] done,
                                 int adds) {
        int pool = states.length;
        long t0 = System.nanoTime();
        for (int i = 0; i < adds; i++) {
            int k = i % pool;
            buffer.add(states[k], actions[k], 0.5, states[(k + 1) % pool], done[k]);
        }
        return System.nanoTime() - t0;
    }

    /**
     * The cost of the authors' method in this JVM: every field shifted left by one transition, as
     * {@code torch.roll} does, on arrays of the buffer's size (allocated after the buffer is measured).
     * Mean of three rolls, in nanoseconds.
     */
    private static double rotateByCopy(int capacity, int s, int a, boolean half) {
        Object[] fields = half
                ? new Object[] {new short[capacity * s], new short[capacity * s], new short[capacity * a],
                        new float[capacity], new float[capacity]}
                : new Object[] {new float[capacity * s], new float[capacity * s], new float[capacity * a],
                        new float[capacity], new float[capacity]};
        int[] widths = {s, s, a, 1, 1};
        int repeats = 3;
        long t0 = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            for (int f = 0; f < fields.length; f++) {
                rollLeft(fields[f], widths[f], capacity);
            }
        }
        return (System.nanoTime() - t0) / (double) repeats;
    }

    private static void rollLeft(Object array, int width, int capacity) {
        Object first = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), width);
        System.arraycopy(array, 0, first, 0, width);
        System.arraycopy(array, width, array, 0, (capacity - 1) * width);
        System.arraycopy(first, 0, array, (capacity - 1) * width, width);
    }

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static double mean(long[] v) {
        double sum = 0;
        for (long x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    /**
     * CPU time of this thread: on a machine shared with other work it leaves out the time this
     * thread waited for a core (not what other work does to the caches).
     */
    private static long cpuTime() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long heapAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process, from /proc (Linux). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
