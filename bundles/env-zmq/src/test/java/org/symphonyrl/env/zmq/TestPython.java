package org.symphonyrl.env.zmq;

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

    /** Settings for a server of the test's own, with timeouts that fail a stuck test in seconds, not minutes. */
    static BridgeSettings ownServer() {
        return BridgeSettings.ownServer(python());
    }
}
