package org.symphonyrl.env.zmq;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Python bridge server as a child process: {@code python -I -m symphony_bridge serve} on a free loopback
 * port. Isolated ({@code -I}): neither the working directory nor the user's site-packages nor PYTHON* variables
 * can put code into it, and it runs in a private working directory ({@link BridgeLogs}). Its key arrives as the
 * first line of its stdin, never on the command line or in the environment (both readable by other users in
 * /proc). Its stderr goes to an owner-only log file that error messages quote; it exits by itself if this JVM
 * dies ({@code --exit-with-parent} watches the stdin pipe we hold).
 */
final class PythonBridgeProcess implements AutoCloseable {

    private final Process process;
    private final String endpoint;
    private final Path log;
    private final BridgeLogs logs;

    private PythonBridgeProcess(Process process, String endpoint, Path log, BridgeLogs logs) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.logs = logs;
    }

    /**
     * Starts a server that authenticates its clients with {@code key}.
     *
     * @param logs where it runs and logs
     */
    static PythonBridgeProcess start(Path python, Duration timeout, byte[] key, BridgeLogs logs) {
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("no Python for the Gymnasium bridge at " + python
                    + ": run scripts/setup-python in the Symphony RL directory (it creates .venv), or set "
                    + BridgeSettings.PYTHON + " to a Python with symphony_bridge installed, or "
                    + BridgeSettings.ENDPOINT + " to a running server");
        }
        Path log = logs.newLog();
        Process process;
        try {
            process = new ProcessBuilder(python.toString(), "-I", "-u", "-m", "symphony_bridge", "serve",
                    "--bind", "tcp://127.0.0.1:0", "--exit-with-parent", "--key-stdin")
                    .directory(logs.workingDirectory().toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the bridge server with " + python + ": " + e.getMessage(), e);
        }
        try {
            OutputStream stdin = process.getOutputStream(); // stays open: its end is the parent's death
            stdin.write((Handshake.hex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("could not pass the key to the bridge server (" + describeExit(process)
                    + "); its log " + log + " ends with:\n" + tail(log), e);
        }
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(process));
        try {
            String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith(Protocol.READY + " ")) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("the bridge server did not start (" + describeExit(process)
                        + "); its log " + log + " ends with:\n" + tail(log));
            }
            return new PythonBridgeProcess(process, line.substring(Protocol.READY.length() + 1).trim(), log, logs);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the bridge server did not say it was ready within " + timeout.toSeconds()
                    + " s; its log " + log + " ends with:\n" + tail(log));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the bridge server", e);
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("could not read the bridge server's output: " + e.getCause(), e.getCause());
        }
    }

    /** The READY line, skipping anything a library may have printed before it; null if stdout ends first. */
    private static String readyLine(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(Protocol.READY + " ")) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Why the process is gone, for error messages. */
    String describeExit() {
        return describeExit(process);
    }

    private static String describeExit(Process process) {
        if (process.isAlive()) {
            return "still running";
        }
        int code = process.exitValue();
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    /** Asks the server to stop (SIGTERM), then kills it if it does not within two seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            logs.stopped(log, process.exitValue() == 0 || process.exitValue() == 143);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IllegalThreadStateException stillRunning) {
            // not gone after SIGKILL: the log stays for whoever looks into it
        }
    }

    /** Kills the server at once (a hung server does not deserve SIGTERM's grace). */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
