package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.random.RandomStream;

class CheckpointStoreTest {

    static Checkpoint sample(long step, long seed) {
        RandomStream r = new RandomStream(seed);
        float[] w = new float[3 * 70_001]; // more than one codec chunk (65,536 floats)
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        w[7] = Float.NaN;
        w[8] = -0f;
        AgentSnapshot agent = new AgentSnapshot("symphony", 3,
                Map.of("actor.w", new Tensor(new long[] {3, 70_001, 1}, w.clone()), "empty", new Tensor(new long[] {0}, new float[0])),
                Map.of("ema", -12.5, "updates", 3.0e6), new long[] {r.nextLong(), r.nextLong(), 3, 4});
        int n = 9;
        float[] s = new float[n * 2];
        float[] a = new float[n];
        float[] rw = new float[n];
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            s[2 * i] = i;
            s[2 * i + 1] = -i;
            a[i] = i / 10f;
            rw[i] = (float) r.nextGaussian();
            d[i] = i == 4 ? 0 : 0.99f;
        }
        BufferSnapshot buffer = new BufferSnapshot("fading", 2, 1, 100, n, s, a, rw, s.clone(), d, 3.25, true,
                new long[] {9, 8, 7, 6});
        return new Checkpoint(step, step / 10, new long[] {1, 2, 3, seed}, new long[] {5, 6, 7, 8}, agent, buffer);
    }

    static void assertSame(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.step(), actual.step());
        assertEquals(expected.episode(), actual.episode());
        assertArrayEquals(expected.episodeSeeds(), actual.episodeSeeds());
        assertArrayEquals(expected.evaluationSeeds(), actual.evaluationSeeds());
        AgentSnapshot ea = expected.agent();
        AgentSnapshot aa = actual.agent();
        assertEquals(ea.kind(), aa.kind());
        assertEquals(ea.formatVersion(), aa.formatVersion());
        assertEquals(ea.tensors().keySet(), aa.tensors().keySet());
        ea.tensors().forEach((k, t) -> {
            assertArrayEquals(t.shape(), aa.tensors().get(k).shape(), k);
            assertArrayEquals(t.data(), aa.tensors().get(k).data(), k); // bit-exact incl. NaN and -0
        });
        assertEquals(ea.scalars(), aa.scalars());
        assertArrayEquals(ea.randomState(), aa.randomState());
        BufferSnapshot eb = expected.buffer();
        BufferSnapshot ab = actual.buffer();
        assertEquals(List.of(eb.kind(), eb.observationSize(), eb.actionSize(), eb.capacity(), eb.size(), eb.rewardScale(), eb.explorationEnded()),
                List.of(ab.kind(), ab.observationSize(), ab.actionSize(), ab.capacity(), ab.size(), ab.rewardScale(), ab.explorationEnded()));
        assertArrayEquals(eb.states(), ab.states());
        assertArrayEquals(eb.actions(), ab.actions());
        assertArrayEquals(eb.rewards(), ab.rewards());
        assertArrayEquals(eb.nextStates(), ab.nextStates());
        assertArrayEquals(eb.discounts(), ab.discounts());
        assertArrayEquals(eb.randomState(), ab.randomState());
    }

    @Test
    void aCheckpointReadsBackExactly(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"));
        Checkpoint c = sample(1234, 7);
        Path written = store.write(c);
        assertEquals("step-000000001234", written.getFileName().toString());
        assertSame(c, store.latest().orElseThrow());
    }

    @Test
    void theNewestTwoAreKeptAndTheNewestIsLoaded(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        for (long step : new long[] {100, 200, 300}) {
            store.write(sample(step, step));
        }
        assertEquals(List.of(200L, 300L), store.checkpoints().stream().map(CheckpointStore::stepOf).toList());
        assertSame(sample(300, 300), store.latest().orElseThrow());
    }

    @Test
    void aWriteCutShortLeavesThePreviousCheckpointLoadable(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(sample(100, 1));
        // what a kill in the middle of the next write leaves behind: its temporary directory, half written
        Path partial = dir.resolve(".tmp-step-000000000200");
        Files.createDirectories(partial);
        Files.write(partial.resolve("agent.bin"), new byte[] {0x53, 0x59, 0x4D});
        assertSame(sample(100, 1), store.latest().orElseThrow());
        // the next write clears the leftover
        store.write(sample(300, 3));
        assertTrue(Files.notExists(partial));
        assertSame(sample(300, 3), store.latest().orElseThrow());
    }

    @Test
    void aDamagedFileIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        Path written = store.write(sample(100, 1));
        Path bin = written.resolve("buffer.bin");
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(bin, bytes);
        IOException e = assertThrows(IOException.class, store::latest);
        assertTrue(e.getMessage().contains("CRC-32") && e.getMessage().contains("buffer.bin"), e.getMessage());
    }

    @Test
    void anEmptyStoreHasNoCheckpoint(@TempDir Path dir) throws IOException {
        assertTrue(new CheckpointStore(dir.resolve("none")).latest().isEmpty());
    }
}
