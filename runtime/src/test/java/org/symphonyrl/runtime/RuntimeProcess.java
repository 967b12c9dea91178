package org.symphonyrl.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the launcher as a child JVM, exactly as {@code ./symphony} does but from the module's build
 * output (so it works in the test phase, before the launcher jar exists). For tests that kill a run
 * (SIGKILL), resume it, or talk to a live run from a second process.
 */
public final class RuntimeProcess {

    private RuntimeProcess() {
    }

    /** A process builder for {@code symphony ARGS…}; stdout and stderr go to {@code log}. */
    public static ProcessBuilder builder(Path log, String... args) {
        return builder(log, List.of(), args);
    }

    /** As {@link #builder(Path, String...)}, with extra JVM options (e.g. {@code -Dname=value}). */
    public static ProcessBuilder builder(Path log, List<String> jvmOptions, String... args) {
        return builder(log, RuntimeFixture.HOME, jvmOptions, args);
    }

    /** As {@link #builder(Path, List, String...)}, started in {@code workingDirectory}. */
    public static ProcessBuilder builder(Path log, Path workingDirectory, List<String> jvmOptions, String... args) {
        Path dist = Path.of("target/dist").toAbsolutePath();
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator + dist.resolve("lib") + "/*";
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx4g");
        cmd.add("-Dsymphony.home=" + RuntimeFixture.HOME);
        cmd.add("-Dsymphony.dist=" + dist);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDirectory.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb;
    }

    /** Starts {@code symphony ARGS…} with output to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        return builder(log, args).start();
    }
}
