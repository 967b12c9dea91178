package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Reading a run directory from outside, as a user's script would, and driving child runtimes. */
final class Runs {

    /** The small preset of the process tests (src/test/resources/presets/tiny.json). */
    static final Path TINY = Path.of("src/test/resources/presets/tiny.json").toAbsolutePath();

    private Runs() {
    }

    /** Runs {@code symphony ARGS…} to the end and returns its output; fails on another exit code. */
    static String run(Path log, int expectedExit, Duration timeout, String... args) throws Exception {
        Process p = RuntimeProcess.start(log, args);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("symphony " + String.join(" ", args) + " did not finish in " + timeout + ":\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    /** Waits until {@code condition} holds, failing early (with the log) if the process ends first. */
    static void await(String what, Duration timeout, Process process, Path log, BooleanSupplier condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("the run ended (exit " + process.exitValue() + ") before " + what + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + timeout + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** The rows of a CSV file without its header, split into cells. */
    static List<String[]> rows(Path csv) {
        try {
            if (!Files.exists(csv)) {
                return List.of();
            }
            List<String> lines = Files.readAllLines(csv);
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                rows.add(lines.get(i).split(",", -1));
            }
            return rows;
        } catch (IOException e) {
            return List.of(); // being rewritten right now: look again later
        }
    }

    /** Whole checkpoints' steps, oldest first. */
    static List<Long> checkpointSteps(Path runDir) {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d{12}"))
                    .map(n -> Long.parseLong(n.substring(5))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** state.json of the checkpoint at {@code step}. */
    static JsonObject checkpointState(Path runDir, long step) throws IOException {
        return JsonParser.parseString(Files.readString(
                runDir.resolve("checkpoints").resolve(String.format("step-%012d", step)).resolve("state.json")))
                .getAsJsonObject();
    }

    /**
     * episodes.csv accounts for every step exactly once: episodes numbered 1, 2, 3…, each row's step is the
     * previous row's plus its length, and the last row ends at {@code finalStep}.
     */
    static void assertNoStepLostOrRepeated(Path runDir, long finalStep) {
        List<String[]> rows = rows(runDir.resolve("episodes.csv"));
        assertTrue(!rows.isEmpty(), "episodes.csv is empty");
        long step = 0;
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            assertEquals(i + 1, Long.parseLong(r[0]), "episode numbers run 1, 2, 3…: row " + (i + 1));
            step += Long.parseLong(r[3]);
            assertEquals(step, Long.parseLong(r[1]), "episode " + r[0] + " ends at the previous end plus its length");
        }
        assertEquals(finalStep, step, "the episodes' lengths add up to the run's steps");
    }

    /** Every file and directory under {@code root}, by relative path: a file's SHA-256, or "dir". */
    static java.util.SortedMap<String, String> hashTree(Path root) throws IOException {
        java.util.SortedMap<String, String> hashes = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                hashes.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha256(p));
            }
        }
        return hashes;
    }

    static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a run directory (file contents; new files and directories get the default permissions). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** The checkpoint directory of {@code step}. */
    static Path checkpoint(Path runDir, long step) {
        return runDir.resolve("checkpoints").resolve(String.format("step-%012d", step));
    }

    /**
     * Asserts that two runs of the same seed and length wrote the same logs and final checkpoint, byte for byte:
     * episodes.csv, history.csv, the checkpoint of {@code step} and the best checkpoint.
     */
    static void assertSameRun(Path expected, Path actual, long step) throws IOException {
        for (String f : List.of("episodes.csv", "history.csv")) {
            assertEquals(Files.readString(expected.resolve(f)), Files.readString(actual.resolve(f)), f);
        }
        assertEquals(hashTree(checkpoint(expected, step)), hashTree(checkpoint(actual, step)), "checkpoint of step " + step);
        assertEquals(bests(expected), bests(actual), "best checkpoints");
    }

    private static java.util.SortedMap<String, String> bests(Path runDir) throws IOException {
        java.util.SortedMap<String, String> all = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(runDir.resolve("checkpoints"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("best-")).toList()) {
                hashTree(p).forEach((k, v) -> all.put(p.getFileName() + "/" + k, v));
            }
        }
        return all;
    }

    /** The same process, started under {@code umask} (e.g. "000") by a shell. */
    static ProcessBuilder underUmask(String umask, ProcessBuilder pb) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        command.addAll(pb.command());
        return pb.command(command);
    }

    /** Sends a signal (e.g. "INT") to a process, as a terminal's Ctrl-C would. */
    static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start();
        assertEquals(0, kill.waitFor());
    }
}
