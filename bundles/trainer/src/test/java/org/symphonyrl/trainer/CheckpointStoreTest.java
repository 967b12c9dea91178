package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;
import org.symphonyrl.api.random.RandomStream;

/**
 * Checkpoints verify themselves: every file against the SHA-256 the checksums file records (computed here
 * independently, and checked by GNU sha256sum), lengths against the file size, content against state.json;
 * readers fall back to the newest one that verifies and say why they skipped the others; rotation never
 * deletes or overwrites what a resume skipped.
 */
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
        return new Checkpoint(step, step / 10, new long[] {1, 2, 3, seed}, new long[] {5, 6, 7, 8}, agent, buffer,
                -1234.5, 2);
    }

    static void assertSame(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.step(), actual.step());
        assertEquals(expected.episode(), actual.episode());
        assertArrayEquals(expected.episodeSeeds(), actual.episodeSeeds());
        assertArrayEquals(expected.evaluationSeeds(), actual.evaluationSeeds());
        assertEquals(expected.bestEvaluation(), actual.bestEvaluation());
        assertEquals(expected.badEpisodesInARow(), actual.badEpisodesInARow());
        assertSameAgent(expected.agent(), actual.agent());
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

    static void assertSameAgent(AgentSnapshot ea, AgentSnapshot aa) {
        assertEquals(ea.kind(), aa.kind());
        assertEquals(ea.formatVersion(), aa.formatVersion());
        assertEquals(ea.tensors().keySet(), aa.tensors().keySet());
        ea.tensors().forEach((k, t) -> {
            assertArrayEquals(t.shape(), aa.tensors().get(k).shape(), k);
            assertArrayEquals(t.data(), aa.tensors().get(k).data(), k); // bit-exact incl. NaN and -0
        });
        assertEquals(ea.scalars(), aa.scalars());
        assertArrayEquals(ea.randomState(), aa.randomState());
    }

    private static Path step(Path store, long step) {
        return store.resolve(String.format("step-%012d", step));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void flipByte(Path file, int at) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 0x10;
        Files.write(file, bytes);
    }

    /** What an owner who edits a checkpoint and its manifest by hand produces: checksums that match. */
    private static void forgeChecksums(Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String name : Files.readAllLines(dir.resolve("checksums")).stream().map(l -> l.substring(66)).toList()) {
            text.append(sha256(dir.resolve(name))).append("  ").append(name).append('\n');
        }
        Files.writeString(dir.resolve("checksums"), text);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCheckpointReadsBackExactlyAndItsChecksumsAreThoseOfSha256sum(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"));
        Checkpoint c = sample(1234, 7);
        Path written = store.write(c);
        assertEquals("step-000000001234", written.getFileName().toString());
        assertSame(c, new CheckpointStore(dir.resolve("checkpoints")).newestResumable().orElseThrow());
        assertEquals(List.of("agent.bin", "buffer.bin", "checksums", "state.json"), names(written));
        assertEquals(List.of(sha256(written.resolve("state.json")) + "  state.json",
                sha256(written.resolve("agent.bin")) + "  agent.bin", sha256(written.resolve("buffer.bin")) + "  buffer.bin"),
                Files.readAllLines(written.resolve("checksums")));
        Process check = new ProcessBuilder("sha256sum", "--check", "--quiet", "checksums").directory(written.toFile())
                .redirectErrorStream(true).start();
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), new String(check.getInputStream().readAllBytes()));
        // owner-only, whatever the umask
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        for (String f : names(written)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.resolve(f))), f);
        }
    }

    @Test
    void theNewestTwoAreKeptAndTheNewestIsLoaded(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        for (long step : new long[] {100, 200, 300}) {
            store.write(sample(step, step));
        }
        assertEquals(List.of(200L, 300L), store.checkpoints().stream().map(CheckpointStore::stepOf).toList());
        assertSame(sample(300, 300), store.newestResumable().orElseThrow());
    }

    @Test
    void aResumedRunDeletesWhatItFoundOnlyOnceItHasWrittenTwoNewerCheckpoints(@TempDir Path dir) throws IOException {
        CheckpointStore first = new CheckpointStore(dir);
        first.write(sample(100, 1));
        first.write(sample(200, 2));
        CheckpointStore resumed = new CheckpointStore(dir);
        resumed.newestResumable().orElseThrow();
        resumed.write(sample(300, 3));
        assertEquals(List.of(100L, 200L, 300L), resumed.checkpoints().stream().map(CheckpointStore::stepOf).toList());
        resumed.write(sample(400, 4));
        assertEquals(List.of(300L, 400L), resumed.checkpoints().stream().map(CheckpointStore::stepOf).toList());
    }

    @Test
    void aWriteCutShortLeavesThePreviousCheckpointLoadable(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(sample(100, 1));
        // what a kill in the middle of the next write leaves behind: its temporary directory, half written
        Path partial = dir.resolve(".tmp-step-000000000200");
        Files.createDirectories(partial);
        Files.write(partial.resolve("agent.bin"), new byte[] {0x53, 0x59, 0x4D});
        assertSame(sample(100, 1), store.newestResumable().orElseThrow());
        assertTrue(store.skipped().isEmpty(), "a temporary directory is not a checkpoint");
        // the next write clears the leftover
        store.write(sample(300, 3));
        assertTrue(Files.notExists(partial));
        assertSame(sample(300, 3), store.newestResumable().orElseThrow());
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedWithTheReasonAndThePreviousOneIsUsed(@TempDir Path dir) throws Exception {
        new CheckpointStore(dir).write(sample(100, 1));
        new CheckpointStore(dir).write(sample(200, 2));
        Path agentBin = step(dir, 200).resolve("agent.bin");
        String recorded = sha256(agentBin);
        flipByte(agentBin, (int) Files.size(agentBin) / 2);
        String found = sha256(agentBin);
        byte[] damaged = Files.readAllBytes(agentBin);

        CheckpointStore resumed = new CheckpointStore(dir);
        assertSame(sample(100, 1), resumed.newestResumable().orElseThrow());
        assertEquals(1, resumed.skipped().size());
        assertEquals("skipped checkpoint step-000000000200: agent.bin: SHA-256 is " + found.substring(0, 16)
                + "…, checksums records " + recorded.substring(0, 16) + "…: the file is damaged",
                resumed.skipped().get(0).toString());
        assertArrayEquals(damaged, Files.readAllBytes(agentBin), "reading changes nothing");

        // the resumed run reaches step 200 again: the damaged checkpoint is moved aside, never overwritten
        resumed.write(sample(200, 2));
        Path aside = dir.resolve("damaged/step-000000000200/agent.bin");
        assertArrayEquals(damaged, Files.readAllBytes(aside), "the damaged checkpoint is kept as it was");
        assertSame(sample(200, 2), new CheckpointStore(dir).newestResumable().orElseThrow());
        assertTrue(Files.isDirectory(step(dir, 100)), "one checkpoint of its own written: what it found stays");

        // damaged again at the same step (found by the torture run): set aside under the next free name
        flipByte(step(dir, 200).resolve("buffer.bin"), 7);
        byte[] again = Files.readAllBytes(step(dir, 200).resolve("buffer.bin"));
        CheckpointStore third = new CheckpointStore(dir);
        assertSame(sample(100, 1), third.newestResumable().orElseThrow());
        third.write(sample(200, 2));
        assertArrayEquals(damaged, Files.readAllBytes(aside), "the first one stays as it was");
        assertArrayEquals(again, Files.readAllBytes(dir.resolve("damaged/step-000000000200-2/buffer.bin")));
        assertSame(sample(200, 2), new CheckpointStore(dir).newestResumable().orElseThrow());
    }

    @Test
    void anEditedStateJsonIsRefusedByItsChecksum(@TempDir Path dir) throws Exception {
        for (String[] edit : new String[][] {{"\"step\": 200", "\"step\": 190"},
                {"\"episodeSeeds\": [\n    1,", "\"episodeSeeds\": [\n    7,"},
                {"\"agentSha256\": \"", "\"agentSha256\": \"0"}}) {
            Path store = dir.resolve(String.valueOf(edit[1].hashCode()));
            new CheckpointStore(store).write(sample(100, 1));
            new CheckpointStore(store).write(sample(200, 2));
            Path state = step(store, 200).resolve("state.json");
            String json = Files.readString(state);
            assertTrue(json.contains(edit[0]), json);
            Files.writeString(state, json.replace(edit[0], edit[1]));
            CheckpointStore resumed = new CheckpointStore(store);
            assertEquals(100, resumed.newestResumable().orElseThrow().step(), edit[1]);
            assertTrue(resumed.skipped().get(0).reason().startsWith("state.json: SHA-256 is "
                    + sha256(state).substring(0, 16)), resumed.skipped().get(0).reason());
            assertTrue(Files.exists(step(store, 200)), "a refused checkpoint is never deleted");
        }
    }

    @Test
    void aStateJsonThatDisagreesWithItsFilesIsRefusedEvenWithMatchingChecksums(@TempDir Path dir) throws Exception {
        Path written = new CheckpointStore(dir).write(sample(200, 2));
        Path state = written.resolve("state.json");
        String json = Files.readString(state);
        Files.writeString(state, json.replaceAll("\"agentSha256\": \"[0-9a-f]{64}\"", "\"agentSha256\": \"" + "0".repeat(64) + "\""));
        forgeChecksums(written);
        IOException e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, true));
        assertTrue(e.getMessage().startsWith("agent.bin: the agent state read from it has SHA-256 ")
                && e.getMessage().endsWith(", state.json records 0000000000000000…: the checkpoint is inconsistent"),
                e.getMessage());

        Files.writeString(state, json.replace("\"step\": 200", "\"step\": 190"));
        forgeChecksums(written);
        e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, true));
        assertTrue(e.getMessage().contains("not a format-2 state of step 200"), e.getMessage());
    }

    @Test
    void anOversizedLengthFieldIsAClearErrorBeforeAnythingIsAllocated(@TempDir Path dir) throws Exception {
        Path written = new CheckpointStore(dir).write(sample(200, 2));
        Path agentBin = written.resolve("agent.bin");
        byte[] bytes = Files.readAllBytes(agentBin);
        // walk the header to the float count of the first tensor (SnapshotCodec's layout)
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        in.readInt();
        in.readUTF();
        in.readInt();
        in.readInt();
        assertEquals("actor.w", in.readUTF());
        int rank = in.readInt();
        in.skipNBytes(8L * rank);
        int at = bytes.length - in.available();
        assertEquals(3 * 70_001, in.readInt(), "found the float count");
        ByteBuffer.wrap(bytes).putInt(at, 0x7FFFFFF0);
        Files.write(agentBin, bytes);
        forgeChecksums(written); // so that the length check, not the checksum, is what catches it

        // 0x7FFFFFF0 floats would be an 8 GiB array: more than this JVM's heap, so the old reader died with
        // OutOfMemoryError here
        IOException e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false));
        assertEquals(String.format("agent.bin: 2,147,483,632 floats of tensor actor.w (at least 8,589,934,528 bytes)"
                + " announced at byte %,d do not fit in the %,d bytes left of the file: the file is damaged", at,
                bytes.length - at - 4), e.getMessage());
    }

    @Test
    void aTruncatedFileIsNamed(@TempDir Path dir) throws Exception {
        Path written = new CheckpointStore(dir).write(sample(200, 2));
        Path agentBin = written.resolve("agent.bin");
        byte[] bytes = Files.readAllBytes(agentBin);
        Files.write(agentBin, java.util.Arrays.copyOf(bytes, 20)); // inside the header: kind and format version
        IOException e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false));
        assertTrue(e.getMessage().startsWith("agent.bin: SHA-256 is "), e.getMessage());
        forgeChecksums(written);
        e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false));
        assertEquals("agent.bin: the file ends after 20 of its 20 bytes in the middle of a value: the file is truncated"
                + " or damaged", e.getMessage());
        Files.write(agentBin, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // inside the tensor's floats
        forgeChecksums(written);
        e = assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false));
        assertTrue(e.getMessage().startsWith("agent.bin: 210,003 floats of tensor actor.w"), e.getMessage());
    }

    @Test
    void evalReadsNeitherNorChecksBufferBinButResumeDoes(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(sample(100, 1));
        store.write(sample(200, 2));
        Files.write(step(dir, 200).resolve("buffer.bin"), new byte[] {1, 2, 3});
        CheckpointStore reader = new CheckpointStore(dir);
        CheckpointStore.AgentCheckpoint last = reader.agent(CheckpointStore.Which.LAST).orElseThrow();
        assertEquals(200, last.step());
        assertSameAgent(sample(200, 2).agent(), last.agent());
        assertTrue(reader.skipped().isEmpty());
        assertEquals(100, reader.newestResumable().orElseThrow().step());
        assertTrue(reader.skipped().get(0).reason().startsWith("buffer.bin: SHA-256 is "));
        assertEquals(100, reader.agent(CheckpointStore.Which.parse("100")).orElseThrow().step());
        assertTrue(reader.agent(CheckpointStore.Which.parse("150")).isEmpty());
    }

    @Test
    void theBestCheckpointHoldsTheAgentOfTheBestEvaluationOnly(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        store.writeBest(3, sample(100, 1).agent(), new EvaluationEvent(100, -500, 10, new double[] {-490, -510}));
        store.writeBest(7, sample(300, 3).agent(), new EvaluationEvent(300, -400, 20, new double[] {-380, -420}));
        assertEquals(List.of("best-step-000000000300"), names(dir));
        assertEquals(List.of("agent.bin", "checksums", "state.json"), names(dir.resolve("best-step-000000000300")));
        CheckpointStore.AgentCheckpoint best = new CheckpointStore(dir).agent(CheckpointStore.Which.BEST).orElseThrow();
        assertEquals(300, best.step());
        assertSameAgent(sample(300, 3).agent(), best.agent());
        String state = Files.readString(dir.resolve("best-step-000000000300/state.json"));
        assertTrue(state.contains("\"evaluationMean\": -400.0") && state.contains("\"evaluationEpisodes\": 2"), state);

        // a run resumed from an earlier step keeps a better agent of the continuation it abandoned
        CheckpointStore resumed = new CheckpointStore(dir);
        resumed.writeBest(5, sample(200, 2).agent(), new EvaluationEvent(200, -450, 5, new double[] {-450}));
        assertEquals(List.of("best-step-000000000200", "best-step-000000000300"), names(dir));
        assertEquals(300, resumed.agent(CheckpointStore.Which.BEST).orElseThrow().step(), "the highest mean");
        resumed.writeBest(6, sample(250, 4).agent(), new EvaluationEvent(250, -100, 5, new double[] {-100}));
        assertEquals(List.of("best-step-000000000250"), names(dir));
    }

    @Test
    void theSameCheckpointWrittenAgainKeepsTheFilesAndADifferentOneMovesTheOldAside(@TempDir Path dir) throws Exception {
        new CheckpointStore(dir).write(sample(100, 1));
        byte[] before = Files.readAllBytes(step(dir, 100).resolve("buffer.bin"));
        new CheckpointStore(dir).write(sample(100, 1)); // a run that redid these steps and got the same state
        assertFalse(Files.exists(dir.resolve("damaged")));
        new CheckpointStore(dir).write(sample(100, 9)); // a different state at the same step
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("damaged/step-000000000100/buffer.bin")));
        assertSame(sample(100, 9), new CheckpointStore(dir).newestResumable().orElseThrow());
    }

    @Test
    void aCheckpointOthersCouldHaveWrittenIsSkipped(@TempDir Path dir) throws Exception {
        new CheckpointStore(dir).write(sample(100, 1));
        new CheckpointStore(dir).write(sample(200, 2));
        Path agentBin = step(dir, 200).resolve("agent.bin");
        Files.setPosixFilePermissions(agentBin, PosixFilePermissions.fromString("rw-rw-r--"));
        CheckpointStore reader = new CheckpointStore(dir);
        assertEquals(100, reader.newestResumable().orElseThrow().step());
        assertTrue(reader.skipped().get(0).reason().startsWith("checkpoint file " + agentBin + " is writable by others"
                + " (rw-rw-r--); refusing to use it. If you trust its content, run 'chmod go-w " + agentBin + "'"),
                reader.skipped().get(0).reason());
    }

    @Test
    void anEmptyStoreHasNoCheckpoint(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("none"));
        assertTrue(store.newestResumable().isEmpty());
        assertTrue(store.skipped().isEmpty());
    }

    @Test
    void manifestsThatDoNotNameExactlyTheCheckpointsFilesAreRefused(@TempDir Path dir) throws Exception {
        Path written = new CheckpointStore(dir).write(sample(200, 2));
        Path sums = written.resolve("checksums");
        List<String> lines = Files.readAllLines(sums);
        Files.write(sums, lines.subList(0, 2));
        assertEquals("checksums does not name buffer.bin: the file is damaged",
                assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false)).getMessage());
        Files.write(sums, List.of(lines.get(0), lines.get(1), lines.get(2), "0".repeat(64) + "  extra.bin"));
        assertEquals("checksums names extra.bin, which is not part of this checkpoint: the file is damaged",
                assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false)).getMessage());
        Files.delete(sums);
        assertTrue(assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false)).getMessage()
                .startsWith("checksums is missing"));
        Files.writeString(sums, new String(new byte[] {'x'}, StandardCharsets.UTF_8));
        assertTrue(assertThrows(IOException.class, () -> CheckpointStore.readStep(written, false)).getMessage()
                .startsWith("checksums: the line 'x' is not 'SHA256  NAME'"));
    }
}
