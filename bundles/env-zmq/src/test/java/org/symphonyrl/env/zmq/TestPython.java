package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's virtual environment, which the test command creates before Maven runs (scripts/setup-python). */
final class TestPython {

    /** The repository root: tests run in bundles/env-zmq. */
    static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();
    static final Path PYTHON = HOME.resolve(".venv/bin/python");

    private TestPython() {
    }

    static Path python() {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException("tests need " + PYTHON + ": run scripts/setup-python first");
        }
        return PYTHON;
    }

    /** A fresh per-user directory for a test: never the real ~/.symphony. */
    static Path userDirectory() {
        try {
            return Files.createTempDirectory("symphony-user-test").resolve("user");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh per-user directory whose per-user key is {@code key} (for servers started with that key). */
    static Path userDirectoryWithKey(byte[] key) {
        Path dir = userDirectory();
        try {
            PrivateFiles.directory(dir);
            PrivateFiles.write(dir.resolve("secret"), (Handshake.hex(key) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Settings for a server of the test's own (per-user directory in a temp dir). */
    static BridgeSettings ownServer() {
        return BridgeSettings.ownServer(python()).withUserDirectory(userDirectory());
    }
}
