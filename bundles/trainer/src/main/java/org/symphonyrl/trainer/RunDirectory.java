package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Run directories as the commands make and find them. A new one is created 0700 by one atomic mkdir, so
 * two {@code train} started in the same second get two directories ({@code ENV-DATE-TIME}, then
 * {@code ENV-DATE-TIME-2}, …) rather than one run overwriting the other. An existing one is used only if it
 * belongs to the current user and no one else may write it: a run.json someone else could have written
 * must not drive the owner's runtime.
 */
final class RunDirectory {

    /** System property: the folder of default run directories (default: {@code runs} under the project home). */
    static final String RUNS_PROPERTY = "symphony.runs";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    /** A new directory for a run: the path, and whether this call created it (else it existed, empty of a run). */
    record Made(Path path, boolean created) {
    }

    /** The default name's stem for a run of {@code environment} started at {@code time}. */
    static String defaultName(String environment, LocalDateTime time) {
        return environment.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + time.format(STAMP);
    }

    /** Creates {@code parent/stem}, or {@code stem-2}, {@code stem-3}, … if taken; each attempt is one atomic mkdir. */
    static Path createUnique(Path parent, String stem) {
        try {
            PrivateFiles.createDirectories(parent);
            for (int n = 1; n <= 10_000; n++) {
                Path dir = parent.resolve(n == 1 ? stem : stem + "-" + n);
                try {
                    return PrivateFiles.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // another run started in the same second: the next name
                }
            }
            throw new IOException("10,000 run directories named " + stem + "* exist already");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("run directory " + parent.resolve(stem) + " cannot be written: " + e, e);
        }
    }

    /** The directory {@code --run-dir} names: created (0700) unless it exists; an existing one must be trusted. */
    static Made create(Path dir) {
        try {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            try {
                return new Made(PrivateFiles.createDirectory(dir), true);
            } catch (FileAlreadyExistsException exists) {
                if (!Files.isDirectory(dir)) {
                    throw new FileSystemException(dir + " is a file");
                }
                PrivateFiles.checkTrusted(dir, "run directory");
                return new Made(dir, false);
            }
        } catch (PrivateFiles.UntrustedFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("run directory " + dir + " cannot be written: " + e, e);
        }
    }

    /** A run directory given on the command line, which must hold a run.json and be the current user's alone. */
    static Path existing(String dir) {
        Path runDir = CommandSupport.workingDirectory().resolve(dir).normalize();
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("run directory " + runDir + " does not exist");
        }
        try {
            PrivateFiles.checkTrusted(runDir, "run directory");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!Files.isRegularFile(runDir.resolve(RunInfo.FILE))) {
            throw new IllegalArgumentException(runDir + " is not a run directory: it has no " + RunInfo.FILE);
        }
        return runDir;
    }
}
