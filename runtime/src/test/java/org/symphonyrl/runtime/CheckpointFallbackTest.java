package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a damaged or edited newest checkpoint is skipped with the reason, and {@code resume} continues from
 * the previous one to exactly the run an uninterrupted train gives (files compared byte for byte); a crafted
 * length field is a clear error in a runtime with a small heap, never an OutOfMemoryError.
 *
 * <p>One uninterrupted run of 1,400 steps (checkpoints at the first episode ends after 400, 800, 1,200 steps and
 * at 1,400; the newest two kept) is the reference; each test damages a copy of it.
 */
@Timeout(900)
class CheckpointFallbackTest {

    private static final Duration RUN = Duration.ofSeconds(400);
    @TempDir
    static Path shared;
    static Path reference;

    @BeforeAll
    static void trainTheReference() throws Exception {
        reference = shared.resolve("reference");
        String out = Runs.run(shared.resolve("reference.log"), 0, RUN, "train", "--preset", Runs.TINY.toString(),
                "--steps", "1400", "--seed", "41", "--checkpoint-every", "400", "--eval-every", "400", "--eval-episodes",
                "2", "--quiet", "--run-dir", reference.toString());
        assertTrue(out.contains("finished at step 1400"), out);
        assertEquals(List.of(1200L, 1400L), Runs.checkpointSteps(reference));
    }

    private static Path copy(Path dir, String name) throws Exception {
        Path run = dir.resolve(name);
        Runs.copyTree(reference, run);
        return run;
    }

    @Test
    void aCorruptedNewestCheckpointResumesFromThePreviousOneToTheSameRun(@TempDir Path dir) throws Exception {
        Path run = copy(dir, "run");
        Path bufferBin = Runs.checkpoint(run, 1400).resolve("buffer.bin");
        String recorded = Runs.sha256(bufferBin);
        byte[] bytes = Files.readAllBytes(bufferBin);
        bytes[bytes.length / 3] ^= 0x01; // one flipped bit in the transitions
        Files.write(bufferBin, bytes);
        String found = Runs.sha256(bufferBin);

        String out = Runs.run(dir.resolve("resume.log"), 0, RUN, "resume", run.toString(), "--quiet");
        assertTrue(out.contains("symphony resume: skipped checkpoint step-000000001400: buffer.bin: SHA-256 is "
                + found.substring(0, 16) + "…, checksums records " + recorded.substring(0, 16) + "…: the file is damaged"), out);
        assertTrue(out.contains("resuming from step-000000001200, the newest checkpoint that verifies"), out);
        assertTrue(out.contains("finished at step 1400"), out);
        Runs.assertSameRun(reference, run, 1400);
        assertArrayEquals(bytes, Files.readAllBytes(run.resolve("checkpoints/damaged/step-000000001400/buffer.bin")),
                "the damaged checkpoint is kept, not overwritten");
        assertTrue(Files.isDirectory(Runs.checkpoint(run, 1200)), "the checkpoint it resumed from is not deleted");
    }

    @Test
    void anEditedStateJsonIsRefusedAndTheRunResumesFromThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        Path run = copy(dir, "run");
        Path state = Runs.checkpoint(run, 1400).resolve("state.json");
        String json = Files.readString(state);
        assertTrue(json.contains("\"step\": 1400"), json);
        Files.writeString(state, json.replace("\"step\": 1400", "\"step\": 1390"));

        String out = Runs.run(dir.resolve("resume.log"), 0, RUN, "resume", run.toString(), "--quiet");
        String edited = Runs.sha256(run.resolve("checkpoints/damaged/step-000000001400/state.json"));
        String recorded = Runs.sha256(Runs.checkpoint(reference, 1400).resolve("state.json"));
        assertTrue(out.contains("symphony resume: skipped checkpoint step-000000001400: state.json: SHA-256 is "
                + edited.substring(0, 16) + "…, checksums records " + recorded.substring(0, 16) + "…: the file is damaged"),
                out);
        assertTrue(out.contains("restored step 1200: agent state identical"), out);
        Runs.assertSameRun(reference, run, 1400);
    }

    @Test
    void anOversizedLengthFieldIsAClearErrorInASmallHeap(@TempDir Path dir) throws Exception {
        Path run = copy(dir, "run");
        Path checkpoint = Runs.checkpoint(run, 1400);
        Path agentBin = checkpoint.resolve("agent.bin");
        byte[] bytes = Files.readAllBytes(agentBin);
        // the float count of the first tensor, by SnapshotCodec's layout: magic, format, kind, version, count, name,
        // rank, shape
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        in.readInt();
        in.readUTF();
        in.readInt();
        in.readInt();
        String tensor = in.readUTF();
        in.skipNBytes(8L * in.readInt());
        int at = bytes.length - in.available();
        ByteBuffer.wrap(bytes).putInt(at, 0x7FFFFFF0);
        Files.write(agentBin, bytes);
        // a manifest that matches, as its owner could write it: the length check alone must catch the field
        List<String> sums = new java.util.ArrayList<>(Files.readAllLines(checkpoint.resolve("checksums")));
        sums.replaceAll(l -> l.endsWith("  agent.bin") ? "AGENT" : l);
        sums.set(sums.indexOf("AGENT"), Runs.sha256(agentBin) + "  agent.bin");
        Files.write(checkpoint.resolve("checksums"), sums);

        Path log = dir.resolve("eval.log");
        // 8 GiB of floats announced; 256 MiB of heap for the whole runtime
        Process p = RuntimeProcess.builder(log, List.of("-Xmx256m"), "eval", run.toString(), "--episodes", "1").start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(String.format("symphony eval: skipped checkpoint step-000000001400: agent.bin:"
                + " 2,147,483,632 floats of tensor %s (at least 8,589,934,528 bytes) announced at byte %,d do not fit in"
                + " the %,d bytes left of the file: the file is damaged", tensor, at, bytes.length - at - 4)), out);
        assertTrue(out.contains("Pendulum-v1 at step 1200: evaluation return"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }
}
