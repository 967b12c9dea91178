package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * Nothing is loaded from the directory {@code symphony} runs in: a bundle jar planted in {@code ./load}
 * (the folder Felix FileInstall watches when no directory is configured) does not start during
 * {@code symphony list} nor during a short {@code train} (long enough for a 500 ms watcher to see it),
 * although the same jar starts when it is installed on purpose.
 */
@Timeout(180)
class NoImplicitLoadingTest {

    @Test
    void aJarInLoadOfTheWorkingDirectoryIsNotInstalled(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        Path marker = dir.resolve("planted-ran");
        Path jar = PlantedBundle.write(work.resolve("load/planted.jar"), marker, dir);

        for (List<String> command : List.of(List.of("list"), List.of("train", "--preset", Runs.TINY.toString(),
                "--steps", "300", "--quiet", "--run-dir", dir.resolve("run").toString()))) {
            Path log = dir.resolve(command.get(0) + ".log");
            Process p = RuntimeProcess.builder(log, work, List.of(), command.toArray(String[]::new)).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "symphony " + command + " did not finish");
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertFalse(PlantedBundle.started(marker), "the jar in ./load ran during 'symphony " + command.get(0)
                    + "':\n" + out);
            assertFalse(out.contains("planted.bundle"), out);
        }

        // the jar is a working bundle: installed on purpose, its activator runs
        try (RuntimeFramework runtime = RuntimeFixture.startDefault()) {
            Bundle b = runtime.context().installBundle(jar.toUri().toString());
            b.start();
            assertTrue(PlantedBundle.started(marker), "the planted jar is a real bundle whose activator runs");
        }
    }
}
