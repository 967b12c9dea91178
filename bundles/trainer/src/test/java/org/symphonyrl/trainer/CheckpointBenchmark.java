package org.symphonyrl.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Tensor;

/**
 * What a checkpoint costs at Humanoid size with preset S3 (not a test; docs/training.md quotes it): an agent of
 * S = 348, A = 17, h = 512, three critics of q = 128 with their targets and AdamW moments, and a full buffer of
 * N_exp × times = 10,240 × 50 = 512,000 transitions in float32. Times the write (snapshot to disk, forced, with
 * the checksums), the verified read resume does (every file hashed and parsed) and the one eval does (agent only).
 *
 * <pre>java -Xmx8g -cp ... org.symphonyrl.trainer.CheckpointBenchmark DIR [transitions]</pre>
 */
public final class CheckpointBenchmark {

    private CheckpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 512_000;
        int s = 348;
        int a = 17;
        SplittableRandom r = new SplittableRandom(1);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> online = new LinkedHashMap<>();
        online.put("actor.w1", new long[] {512, s});
        online.put("actor.w2", new long[] {512, 512});
        online.put("actor.w3", new long[] {3 * a, 512});
        for (int i = 0; i < 3; i++) {
            online.put("critic" + i + ".w1", new long[] {128, s + a});
            online.put("critic" + i + ".w2", new long[] {128, 128});
            online.put("critic" + i + ".w3", new long[] {1, 128});
        }
        online.forEach((name, shape) -> {
            tensors.put(name, tensor(shape, r));
            tensors.put("adam.m." + name, tensor(shape, r));
            tensors.put("adam.v." + name, tensor(shape, r));
            if (name.startsWith("critic")) {
                tensors.put(name.replace("critic", "target"), tensor(shape, r));
            }
        });
        AgentSnapshot agent = new AgentSnapshot("symphony", 1, tensors, Map.of("updates", 1e6), new long[12]);
        BufferSnapshot buffer = new BufferSnapshot("fading", s, a, n, n, floats(n * s, r), floats(n * a, r),
                floats(n, r), floats(n * s, r), floats(n, r), 1.5, true, new long[4]);
        long params = tensors.values().stream().mapToLong(t -> t.data().length).sum();
        System.out.printf("agent: %,d floats in %d tensors; buffer: %,d transitions%n", params, tensors.size(), n);

        CheckpointStore store = new CheckpointStore(dir);
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            Path written = store.write(new Checkpoint(round * 1000L, round, new long[4], new long[4], agent, buffer,
                    null, 0));
            double write = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            CheckpointStore.readStep(written, true);
            double resume = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            CheckpointStore.readStep(written, false);
            double eval = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: write %.2f s, verified read for resume %.2f s, for eval %.2f s;"
                            + " agent.bin %,d bytes, buffer.bin %,d bytes%n", round, write, resume, eval,
                    Files.size(written.resolve("agent.bin")), Files.size(written.resolve("buffer.bin")));
        }
        long t0 = System.nanoTime();
        Fingerprint.of(buffer);
        System.out.printf("content SHA-256 of the buffer alone: %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static Tensor tensor(long[] shape, SplittableRandom r) {
        return new Tensor(shape, floats((int) (shape[0] * shape[1]), r));
    }

    private static float[] floats(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }
}
