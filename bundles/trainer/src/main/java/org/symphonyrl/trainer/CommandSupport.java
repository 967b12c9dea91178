package org.symphonyrl.trainer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * What the command services share: picocli parsing with the launcher's exit codes, the user's working
 * directory, and a stop flag that the component's deactivation (the runtime is shutting down, e.g. Ctrl-C)
 * raises and then waits on, so that a run ends with a checkpoint.
 *
 * <p>Exit codes: 0 done, 1 a failure during the work (the message says what; nothing the run wrote before is
 * lost), 2 bad input (refused before anything is written: a wrong option, a run directory that is live or
 * not trusted), 130 interrupted (Ctrl-C; the run stopped at a step boundary with a checkpoint).
 */
final class CommandSupport {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERRUPTED = 130;
    /** How long a deactivation waits for a running command to checkpoint and return. */
    static final long STOP_WAIT_SECONDS = 120;

    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile CountDownLatch running = new CountDownLatch(0);

    /** Parses {@code args} into {@code command} and runs it; errors become messages and exit codes. */
    int execute(String name, Callable<Integer> command, String[] args) {
        stop.set(false);
        running = new CountDownLatch(1);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            CommandLine cl = new CommandLine(command).setCommandName("symphony " + name)
                    .setOut(new PrintWriter(System.out, true)).setErr(err)
                    .setExecutionExceptionHandler((e, line, parsed) -> {
                        if (e instanceof IllegalArgumentException) {
                            err.println("symphony " + name + ": " + e.getMessage());
                            return EXIT_USAGE;
                        }
                        if (e instanceof TrainingRun.RunFailedException) {
                            err.println("symphony " + name + ": " + e.getMessage());
                            return EXIT_FAILED;
                        }
                        err.println("symphony " + name + ": failed: " + describe(e));
                        return EXIT_FAILED;
                    });
            return cl.execute(args);
        } finally {
            running.countDown();
        }
    }

    boolean stopRequested() {
        return stop.get();
    }

    /** Asks a running command to stop at the next step boundary and waits until it has returned. */
    void stopAndWait() {
        stop.set(true);
        try {
            running.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path workingDirectory() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be a positive whole number, got " + value);
        }
    }

    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(" — caused by ").append(c);
        }
        return s.toString();
    }
}
