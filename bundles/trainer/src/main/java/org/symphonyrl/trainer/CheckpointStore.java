package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;

/**
 * The checkpoints of a run, in {@code RUN_DIR/checkpoints/step-NNNNNNNNNNNN/}, each holding
 * {@code state.json} (counters, the trainer's random streams, CRC-32 of the binary files),
 * {@code agent.bin} and {@code buffer.bin} (see {@link SnapshotCodec}).
 *
 * <p>Atomic: a checkpoint is written into {@code .tmp-step-N}, every file is forced to disk, and only
 * then is the directory renamed to {@code step-N}. A kill at any moment therefore leaves either the
 * new checkpoint whole or a {@code .tmp-} directory that is ignored (and removed by the next write),
 * with the previous checkpoints untouched. The newest {@value #KEEP} checkpoints are kept.
 */
final class CheckpointStore {

    static final int KEEP = 2;
    static final String PAUSE_PROPERTY = "symphony.test.checkpoint.pause";
    private static final Pattern NAME = Pattern.compile("step-(\\d{12})");
    private static final String TEMP_PREFIX = ".tmp-";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path directory;

    CheckpointStore(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** The state.json of a checkpoint. */
    record State(int format, long step, long episode, long[] episodeSeeds, long[] evaluationSeeds,
                 String agentKind, String bufferKind, long agentCrc32, long bufferCrc32,
                 String agentSha256, String bufferSha256) {
    }

    /** Writes {@code checkpoint} atomically and prunes older ones; returns the checkpoint's directory. */
    Path write(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        removeTemporaries();
        String name = String.format("step-%012d", checkpoint.step());
        Path temp = directory.resolve(TEMP_PREFIX + name);
        Files.createDirectories(temp);
        long agentCrc = writeBinary(temp.resolve("agent.bin"), out -> SnapshotCodec.writeAgent(out, checkpoint.agent()));
        long bufferCrc = writeBinary(temp.resolve("buffer.bin"),
                out -> SnapshotCodec.writeBuffer(out, checkpoint.buffer()));
        State state = new State(1, checkpoint.step(), checkpoint.episode(), checkpoint.episodeSeeds(),
                checkpoint.evaluationSeeds(), checkpoint.agent().kind(), checkpoint.buffer().kind(), agentCrc, bufferCrc,
                Fingerprint.of(checkpoint.agent()), Fingerprint.of(checkpoint.buffer()));
        byte[] json = GSON.toJson(state).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp.resolve("state.json"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(json));
            ch.force(true);
        }
        pauseBeforeRename();
        Path target = directory.resolve(name);
        if (Files.exists(target)) {
            deleteTree(target); // the same step checkpointed again (e.g. a stop right after a checkpoint)
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(directory);
        prune();
        return target;
    }

    /** The newest whole checkpoint, if any. A damaged one (CRC mismatch) is an error, not skipped silently. */
    Optional<Checkpoint> latest() throws IOException {
        List<Path> all = checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(read(all.get(all.size() - 1)));
    }

    /** Whole checkpoints, oldest first. */
    List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** Reads one checkpoint directory, checking the binary files against the CRC-32 recorded in state.json. */
    static Checkpoint read(Path dir) throws IOException {
        State state;
        try {
            state = GSON.fromJson(Files.readString(dir.resolve("state.json")), State.class);
        } catch (JsonParseException e) {
            throw new IOException(dir.resolve("state.json") + ": not a checkpoint state: " + e.getMessage(), e);
        }
        if (state == null || state.format() != 1) {
            throw new IOException(dir.resolve("state.json") + ": unknown checkpoint format "
                    + (state == null ? "(empty file)" : state.format()) + ", expected 1");
        }
        AgentSnapshot agent = readBinary(dir.resolve("agent.bin"), state.agentCrc32(), SnapshotCodec::readAgent);
        BufferSnapshot buffer = readBinary(dir.resolve("buffer.bin"), state.bufferCrc32(), SnapshotCodec::readBuffer);
        return new Checkpoint(state.step(), state.episode(), state.episodeSeeds(), state.evaluationSeeds(), agent, buffer);
    }

    /** The step of a checkpoint directory's name. */
    static long stepOf(Path checkpointDir) {
        Matcher m = NAME.matcher(checkpointDir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(checkpointDir + " is not a checkpoint directory (step-NNNNNNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in, String file) throws IOException;
    }

    private static long writeBinary(Path file, Writer writer) throws IOException {
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 20));
            writer.write(out);
            out.flush();
            ch.force(true);
        }
        return crc.getValue();
    }

    private static <T> T readBinary(Path file, long expectedCrc, Reader<T> reader) throws IOException {
        CRC32 crc = new CRC32();
        T value;
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new CheckedInputStream(raw, crc), 1 << 20))) {
            value = reader.read(in, file.toString());
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected bytes after the snapshot: the file is damaged");
            }
        }
        if (crc.getValue() != expectedCrc) {
            throw new IOException(file + ": CRC-32 " + Long.toHexString(crc.getValue()) + " differs from the "
                    + Long.toHexString(expectedCrc) + " recorded in state.json: the file is damaged");
        }
        return value;
    }

    /**
     * Fault injection for the kill-during-write test: with the system property {@value #PAUSE_PROPERTY}
     * set to a number of milliseconds, a checkpoint waits that long when fully written but not yet renamed.
     */
    private static void pauseBeforeRename() throws IOException {
        long millis = Long.getLong(PAUSE_PROPERTY, 0);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing a checkpoint");
            }
        }
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>(checkpoints());
        for (int i = 0; i < all.size() - KEEP; i++) {
            deleteTree(all.get(i));
        }
    }

    private void removeTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened; the rename itself is still atomic
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
