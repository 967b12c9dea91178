package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a bridge server the runtime starts runs and writes its log: in the run directory when the factory was
 * given one ({@code <run>/logs/bridge-<n>.log}, all kept: they belong to the run's record), else in the per-user
 * directory ({@code ~/.symphony/logs}, where the log of a server that stopped cleanly is deleted and the newest
 * {@value #KEPT} others are kept). Owner-only, never in a shared /tmp.
 *
 * @param workingDirectory the server's working directory: the run directory, else the per-user directory
 * @param directory        where the logs go
 * @param keepAll          whether clean logs stay too
 */
record BridgeLogs(Path workingDirectory, Path directory, boolean keepAll) {

    static final int KEPT = 20;
    private static final String PREFIX = "bridge-";

    static BridgeLogs of(Path runDirectory, UserDirectory user) {
        try {
            if (runDirectory != null) {
                return new BridgeLogs(runDirectory, PrivateFiles.directory(runDirectory.resolve("logs")), true);
            }
            return new BridgeLogs(user.root(), user.logs(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the bridge server's log directory: " + e.getMessage(), e);
        }
    }

    /** A new owner-only log file, {@code bridge-<n>.log} with the next free n. */
    Path newLog() {
        try {
            if (!keepAll) {
                prune();
            }
            for (int n = highest() + 1; ; n++) {
                Path log = PrivateFiles.createEmpty(directory.resolve(PREFIX + n + ".log"));
                if (log != null) {
                    return log;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Called when the server stopped: a clean stop's log goes unless every log is kept. */
    void stopped(Path log, boolean clean) {
        if (clean && !keepAll) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // it stays: harmless, pruned later
            }
        }
    }

    private int highest() throws IOException {
        return logs().stream().mapToInt(BridgeLogs::number).max().orElse(0);
    }

    private void prune() throws IOException {
        List<Path> logs = logs();
        logs.sort(Comparator.comparingInt(BridgeLogs::number));
        for (Path old : logs.subList(0, Math.max(0, logs.size() - KEPT))) {
            Files.deleteIfExists(old);
        }
    }

    private List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*.log")) {
            files.forEach(f -> {
                if (number(f) > 0) {
                    logs.add(f);
                }
            });
        }
        return logs;
    }

    private static int number(Path log) {
        String name = log.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(PREFIX.length(), name.length() - ".log".length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0;
        }
    }
}
