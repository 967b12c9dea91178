package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.TrainingListener.EvaluationEvent;

/**
 * The checkpoints of a run, in {@code RUN_DIR/checkpoints/}:
 * <ul>
 *   <li>{@code step-NNNNNNNNNNNN/}: a resumable checkpoint, taken between two episodes: {@code state.json}
 *       (counters, the trainer's random streams, the SHA-256 of the agent's and the buffer's content),
 *       {@code agent.bin}, {@code buffer.bin} ({@link SnapshotCodec}) and {@link Checksums} written last.
 *       The newest {@value #KEEP} are kept.</li>
 *   <li>{@code best-step-NNNNNNNNNNNN/}: the agent of the best evaluation so far (highest mean), taken right
 *       after that evaluation: {@code state.json} (the evaluation), {@code agent.bin}, {@code checksums}. For
 *       {@code eval} and export, which take the one with the highest recorded mean; a run never resumes from
 *       it. Writing one deletes those with a lower or equal mean.</li>
 * </ul>
 *
 * <p>Writing is atomic: a checkpoint is written into {@code .tmp-NAME}, every file is forced to disk, the
 * checksums file last, and only then is the directory renamed into place. Reading trusts nothing in the
 * directory: every file must match the SHA-256 that {@code checksums} records, lengths inside the binary files
 * are checked against the file size, and the snapshots read must have the content SHA-256 that
 * {@code state.json} records. A checkpoint that fails any check is skipped with the reason, and the next older
 * one is tried.
 *
 * <p>What a process may delete: temporaries ({@code .tmp-}) of a write cut short, and by rotation checkpoints
 * older than the second-newest one it wrote itself, and best checkpoints worse than one it wrote. Checkpoints
 * that its resume skipped as damaged are never deleted or overwritten: when it writes its first checkpoint
 * they are moved to {@code checkpoints/damaged/}. Callers hold the run's lock ({@link RunLock}) for writing.
 */
final class CheckpointStore {

    static final int KEEP = 2;
    static final String PAUSE_PROPERTY = "symphony.test.checkpoint.pause";
    static final String DAMAGED = "damaged";
    static final String STATE = "state.json";
    static final String AGENT = "agent.bin";
    static final String BUFFER = "buffer.bin";
    static final int FORMAT = 2;
    private static final List<String> STEP_FILES = List.of(STATE, AGENT, BUFFER);
    private static final List<String> BEST_FILES = List.of(STATE, AGENT);
    private static final Pattern STEP_NAME = Pattern.compile("step-(\\d{12})");
    private static final Pattern BEST_NAME = Pattern.compile("best-step-(\\d{12})");
    private static final String TEMP_PREFIX = ".tmp-";
    private static final long MAX_STATE_BYTES = 1 << 16;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path directory;
    private final List<Long> written = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();

    CheckpointStore(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** {@code state.json} of a step checkpoint. */
    record StepState(int format, long step, long episode, long[] episodeSeeds, long[] evaluationSeeds,
                     String agentKind, String bufferKind, String agentSha256, String bufferSha256,
                     Double bestEvaluation, int badEpisodesInARow) {
    }

    /** {@code state.json} of a best checkpoint: when, and how well, its agent was evaluated. */
    record BestState(int format, long step, long episode, String agentKind, String agentSha256,
                     double evaluationMean, double evaluationStd, int evaluationEpisodes) {
    }

    /** A checkpoint a reader passed over, and why. */
    record Skipped(Path directory, String reason) {
        @Override
        public String toString() {
            return "skipped checkpoint " + directory.getFileName() + ": " + reason;
        }
    }

    /** An agent read from a verified checkpoint (step or best) for evaluation or export. */
    record AgentCheckpoint(Path directory, long step, AgentSnapshot agent, String agentKind) {
    }

    /** Which checkpoint a reader wants: the newest step checkpoint, the best, or one step. */
    record Which(String text, Long step) {
        static final Which LAST = new Which("last", null);
        static final Which BEST = new Which("best", null);

        static Which parse(String text) {
            if (text.equals("last")) {
                return LAST;
            }
            if (text.equals("best")) {
                return BEST;
            }
            if (text.matches("\\d{1,12}")) {
                return new Which(text, Long.parseLong(text));
            }
            throw new IllegalArgumentException("--checkpoint must be last, best or a step number, got '" + text + "'");
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes a step checkpoint atomically, then rotates; returns its directory. */
    Path write(Checkpoint c) throws IOException {
        Path temp = begin(stepName(c.step()));
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(AGENT, writeBinary(temp.resolve(AGENT), out -> SnapshotCodec.writeAgent(out, c.agent())));
        sums.put(BUFFER, writeBinary(temp.resolve(BUFFER), out -> SnapshotCodec.writeBuffer(out, c.buffer())));
        StepState state = new StepState(FORMAT, c.step(), c.episode(), c.episodeSeeds(), c.evaluationSeeds(),
                c.agent().kind(), c.buffer().kind(), Fingerprint.of(c.agent()), Fingerprint.of(c.buffer()),
                c.bestEvaluation(), c.badEpisodesInARow());
        Path target = finish(temp, stepName(c.step()), sums, state);
        written.add(c.step());
        rotate();
        return target;
    }

    /** Writes the best checkpoint for evaluation {@code e} of {@code agent}; older best checkpoints go. */
    Path writeBest(long episode, AgentSnapshot agent, EvaluationEvent e) throws IOException {
        String name = "best-" + stepName(e.step());
        Path temp = begin(name);
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(AGENT, writeBinary(temp.resolve(AGENT), out -> SnapshotCodec.writeAgent(out, agent)));
        BestState state = new BestState(FORMAT, e.step(), episode, agent.kind(), Fingerprint.of(agent), e.mean(),
                e.std(), e.returns().length);
        Path target = finish(temp, name, sums, state);
        for (Path other : list(BEST_NAME)) {
            Double mean = bestMean(other);
            if (!other.equals(target) && mean != null && mean <= e.mean()) {
                deleteTree(other); // a worse agent than the one just kept
            }
        }
        return target;
    }

    /** The evaluation mean a best checkpoint records, if its state.json verifies; else null (it is left alone). */
    private static Double bestMean(Path dir) {
        try {
            return readState(dir, Checksums.read(dir, BEST_FILES), BestState.class).evaluationMean();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Path begin(String name) throws IOException {
        PrivateFiles.createDirectories(directory);
        setAsideSkipped();
        removeTemporaries();
        Path temp = directory.resolve(TEMP_PREFIX + name);
        PrivateFiles.createDirectory(temp);
        return temp;
    }

    private Path finish(Path temp, String name, Map<String, String> sums, Record state) throws IOException {
        byte[] json = (GSON.toJson(state) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = PrivateFiles.createFile(temp.resolve(STATE))) {
            ch.write(java.nio.ByteBuffer.wrap(json));
            ch.force(true);
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put(STATE, Checksums.hex(digest(json)));
        all.putAll(sums);
        Checksums.write(temp, all);
        forceDirectory(temp);
        pauseBeforeRename();
        Path target = directory.resolve(name);
        if (Files.exists(target)) {
            if (sameCheckpoint(temp, target)) {
                deleteTree(temp); // the same checkpoint, written again by a run that redid these steps
                return target;
            }
            moveToDamaged(target);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(directory);
        return target;
    }

    /** Deletes step checkpoints older than the second-newest one this store wrote. */
    private void rotate() throws IOException {
        if (written.size() < KEEP) {
            return;
        }
        long keepFrom = written.get(written.size() - KEEP);
        for (Path p : list(STEP_NAME)) {
            if (stepOf(p, STEP_NAME) < keepFrom) {
                deleteTree(p);
            }
        }
    }

    /** Whether {@code existing} holds exactly what {@code fresh} holds: equal checksums, and it verifies. */
    private static boolean sameCheckpoint(Path fresh, Path existing) {
        try {
            if (!Files.readString(fresh.resolve(Checksums.FILE)).equals(Files.readString(existing.resolve(Checksums.FILE)))) {
                return false;
            }
            for (Map.Entry<String, String> e : Checksums.read(existing, listFiles(fresh)).entrySet()) {
                if (!Checksums.of(existing.resolve(e.getKey())).equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Checksums.FILE)).toList();
        }
    }

    /** Moves the checkpoints this store's reader skipped as damaged out of the way, once. */
    private void setAsideSkipped() throws IOException {
        for (Skipped s : skipped) {
            if (Files.isDirectory(s.directory())) {
                moveToDamaged(s.directory());
            }
        }
        skipped.clear();
    }

    private void moveToDamaged(Path checkpoint) throws IOException {
        Path damaged = directory.resolve(DAMAGED);
        PrivateFiles.createDirectories(damaged);
        String name = checkpoint.getFileName().toString();
        Path target = damaged.resolve(name);
        // the next free name: a checkpoint of the same step may have been set aside before (the writer holds the
        // run's lock, so no one else takes the name meanwhile; renaming onto a taken name fails as "not empty")
        for (int n = 2; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            target = damaged.resolve(name + "-" + n);
        }
        Files.move(checkpoint, target, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("symphony: moved " + checkpoint + " (damaged) to " + target);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Writes one binary file, forced to disk; returns its SHA-256. */
    private static String writeBinary(Path file, Writer writer) throws IOException {
        try (FileChannel ch = PrivateFiles.createFile(file)) {
            DigestOutputStream digest = Checksums.digesting(Channels.newOutputStream(ch));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(digest, 1 << 20));
            writer.write(out);
            out.flush();
            ch.force(true);
            return Checksums.hex(digest.getMessageDigest());
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * The newest step checkpoint that verifies completely (buffer included), for {@code resume}. Each one
     * passed over is added to {@link #skipped()}; when this store later writes, those are moved to
     * {@code damaged/}.
     */
    Optional<Checkpoint> newestResumable() throws IOException {
        return firstThatVerifies(() -> newestFirst(STEP_NAME), dir -> readStep(dir, true).checkpoint());
    }

    /**
     * The agent of the checkpoint {@code which} names, verified (state.json and agent.bin; buffer.bin is not
     * read), for {@code eval} and export: {@code last} and {@code best} fall back to older ones that verify.
     */
    Optional<AgentCheckpoint> agent(Which which) throws IOException {
        if (which == Which.BEST) {
            return firstThatVerifies(() -> {
                // the highest mean first: a best kept by a continuation that was later abandoned stays if better
                List<Path> candidates = new ArrayList<>(list(BEST_NAME));
                candidates.sort(Comparator.comparing((Path p) -> {
                    Double mean = bestMean(p);
                    return mean == null ? Double.NEGATIVE_INFINITY : mean;
                }).reversed());
                return candidates;
            }, CheckpointStore::readBest);
        }
        return firstThatVerifies(() -> newestFirst(STEP_NAME).stream()
                .filter(p -> which.step() == null || stepOf(p, STEP_NAME) == which.step()).toList(),
                dir -> readStep(dir, false).asAgent(dir));
    }

    private interface Candidates {
        List<Path> list() throws IOException;
    }

    private interface Read<T> {
        T read(Path dir) throws IOException;
    }

    /**
     * The first of {@code candidates} that {@code read} accepts; each one refused goes to {@link #skipped()}. A
     * directory that vanishes while it is read was rotated away by a live run: the candidates are listed again.
     */
    private <T> Optional<T> firstThatVerifies(Candidates candidates, Read<T> read) throws IOException {
        for (int attempt = 0; ; attempt++) {
            skipped.clear();
            try {
                for (Path dir : candidates.list()) {
                    try {
                        return Optional.of(read.read(dir));
                    } catch (IOException e) {
                        vanished(dir, e);
                        skipped.add(new Skipped(dir, e.getMessage()));
                    }
                }
                return Optional.empty();
            } catch (Vanished v) {
                if (attempt == 2) {
                    throw v.getCause();
                }
            }
        }
    }

    /** The checkpoints the last read passed over, newest first, with the reason. */
    List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** Step checkpoint directories, oldest first. */
    List<Path> checkpoints() throws IOException {
        return list(STEP_NAME);
    }

    /** Best checkpoint directories, oldest first. */
    List<Path> bests() throws IOException {
        return list(BEST_NAME);
    }

    /** Reads and verifies one step checkpoint; without {@code withBuffer}, buffer.bin is neither read nor checked. */
    static VerifiedStep readStep(Path dir, boolean withBuffer) throws IOException {
        PrivateFiles.checkTrusted(dir, "checkpoint directory");
        Map<String, String> sums = Checksums.read(dir, STEP_FILES);
        StepState s = readState(dir, sums, StepState.class);
        long named = stepOf(dir, STEP_NAME);
        if (s.format() != FORMAT || s.step() != named || s.episode() < 0 || s.episode() > s.step()
                || s.episodeSeeds() == null || s.episodeSeeds().length != 4 || s.evaluationSeeds() == null
                || s.evaluationSeeds().length != 4 || s.agentSha256() == null || s.bufferSha256() == null
                || s.badEpisodesInARow() < 0) {
            throw new IOException(STATE + ": not a format-" + FORMAT + " state of step " + named
                    + " (format, step, episode, seeds or SHA-256 missing or out of range)");
        }
        AgentSnapshot agent = readBinary(dir, AGENT, sums, SnapshotCodec::readAgent);
        checkContent(AGENT, "agent", Fingerprint.of(agent), s.agentSha256());
        BufferSnapshot buffer = null;
        if (withBuffer) {
            buffer = readBinary(dir, BUFFER, sums, SnapshotCodec::readBuffer);
            checkContent(BUFFER, "buffer", Fingerprint.of(buffer), s.bufferSha256());
        }
        return new VerifiedStep(new Checkpoint(s.step(), s.episode(), s.episodeSeeds(), s.evaluationSeeds(), agent,
                buffer, s.bestEvaluation(), s.badEpisodesInARow()), s);
    }

    /** A step checkpoint read and verified, with its state.json. */
    record VerifiedStep(Checkpoint checkpoint, StepState state) {
        AgentCheckpoint asAgent(Path dir) {
            return new AgentCheckpoint(dir, checkpoint.step(), checkpoint.agent(), state.agentKind());
        }
    }

    /** Reads and verifies one best checkpoint. */
    static AgentCheckpoint readBest(Path dir) throws IOException {
        PrivateFiles.checkTrusted(dir, "checkpoint directory");
        Map<String, String> sums = Checksums.read(dir, BEST_FILES);
        BestState s = readState(dir, sums, BestState.class);
        long named = stepOf(dir, BEST_NAME);
        if (s.format() != FORMAT || s.step() != named || s.agentSha256() == null || s.evaluationEpisodes() < 1) {
            throw new IOException(STATE + ": not a format-" + FORMAT + " best state of step " + named);
        }
        AgentSnapshot agent = readBinary(dir, AGENT, sums, SnapshotCodec::readAgent);
        checkContent(AGENT, "agent", Fingerprint.of(agent), s.agentSha256());
        return new AgentCheckpoint(dir, s.step(), agent, s.agentKind());
    }

    private static <T> T readState(Path dir, Map<String, String> sums, Class<T> type) throws IOException {
        Path file = dir.resolve(STATE);
        PrivateFiles.checkTrusted(file, "checkpoint file");
        if (Files.size(file) > MAX_STATE_BYTES) {
            throw new IOException(STATE + " is " + Files.size(file) + " bytes long: the file is damaged");
        }
        byte[] bytes = Files.readAllBytes(file);
        String sha = Checksums.hex(digest(bytes));
        if (!sha.equals(sums.get(STATE))) {
            throw Checksums.mismatch(STATE, sha, sums.get(STATE));
        }
        try {
            T state = GSON.fromJson(new String(bytes, StandardCharsets.UTF_8), type);
            if (state == null) {
                throw new IOException(STATE + " is empty");
            }
            return state;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException(STATE + ": not a checkpoint state: " + e.getMessage(), e);
        }
    }

    private interface Reader<T> {
        T read(SnapshotInput in) throws IOException;
    }

    /**
     * Reads a binary file while hashing it. If the file's SHA-256 is not the recorded one, that is the error
     * (whatever else went wrong while reading it); otherwise a reading error is.
     */
    private static <T> T readBinary(Path dir, String name, Map<String, String> sums, Reader<T> reader)
            throws IOException {
        Path file = dir.resolve(name);
        PrivateFiles.checkTrusted(file, "checkpoint file");
        long size = Files.size(file);
        try (DigestInputStream digest = Checksums.digesting(Files.newInputStream(file, StandardOpenOption.READ));
             BufferedInputStream buffered = new BufferedInputStream(digest, 1 << 20)) {
            SnapshotInput in = new SnapshotInput(buffered, size, name);
            T value = null;
            IOException failure = null;
            try {
                value = reader.read(in);
                if (in.remaining() != 0) {
                    failure = in.damaged(in.remaining() + " bytes follow the end of the snapshot");
                }
            } catch (EOFException e) {
                failure = in.truncated();
            } catch (IOException e) {
                failure = e;
            }
            buffered.transferTo(OutputStream.nullOutputStream()); // the rest of the file, for its SHA-256
            String sha = Checksums.hex(digest.getMessageDigest());
            if (!sha.equals(sums.get(name))) {
                throw Checksums.mismatch(name, sha, sums.get(name));
            }
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    private static void checkContent(String file, String what, String found, String recorded) throws IOException {
        if (!found.equals(recorded)) {
            throw new IOException(file + ": the " + what + " state read from it has SHA-256 " + found.substring(0, 16)
                    + "…, " + STATE + " records " + recorded.substring(0, 16) + "…: the checkpoint is inconsistent");
        }
    }

    private static java.security.MessageDigest digest(byte[] bytes) {
        java.security.MessageDigest sha = Checksums.sha256();
        sha.update(bytes);
        return sha;
    }

    /** A checkpoint directory that disappeared while being read: a live run's rotation, not damage. */
    private static final class Vanished extends RuntimeException {
        Vanished(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static void vanished(Path dir, IOException e) {
        if (e instanceof NoSuchFileException && !Files.exists(dir)) {
            throw new Vanished(e);
        }
    }

    // ---------------------------------------------------------------- names and files

    static String stepName(long step) {
        return String.format("step-%012d", step);
    }

    /** The step in a checkpoint directory's name. */
    static long stepOf(Path checkpointDir) {
        return stepOf(checkpointDir, STEP_NAME);
    }

    private static long stepOf(Path dir, Pattern pattern) {
        Matcher m = pattern.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(dir + " is not a checkpoint directory (" + pattern.pattern() + ")");
        }
        return Long.parseLong(m.group(1));
    }

    private List<Path> newestFirst(Pattern pattern) throws IOException {
        List<Path> all = new ArrayList<>(list(pattern));
        java.util.Collections.reverse(all);
        return all;
    }

    /** Directories matching {@code pattern}, oldest (lowest step) first. */
    private List<Path> list(Pattern pattern) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> pattern.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /**
     * Fault injection for the kill-during-write tests: with the system property {@value #PAUSE_PROPERTY}
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
