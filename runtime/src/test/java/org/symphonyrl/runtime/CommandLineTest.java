package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a user runs it: a child JVM with the real distribution. */
@Timeout(120)
class CommandLineTest {

    @Test
    void helpListsEveryCommand(@TempDir Path dir) throws Exception {
        String out = run(dir, 0, "--help");
        for (String command : new String[] {"train", "resume", "eval", "list", "swap"}) {
            assertTrue(out.lines().anyMatch(l -> l.trim().startsWith(command + " ")), command + " missing in:\n" + out);
        }
    }

    @Test
    void listShowsTheEngineAndEveryBundleActive(@TempDir Path dir) throws Exception {
        String out = run(dir, 0, "list");
        assertTrue(out.contains("Engine:        PyTorch"), out);
        assertTrue(out.contains("org.symphonyrl.core"), out);
        assertTrue(out.lines().filter(l -> l.startsWith("  ")).allMatch(l -> l.endsWith("ACTIVE")), out);
    }

    @Test
    void listHasHelpAndShowsEachPresetOnce(@TempDir Path dir) throws Exception {
        String help = run(dir, 0, "list", "--help");
        assertTrue(help.startsWith("Usage: symphony list"), help);
        String presets = run(dir, 0, "list").lines().filter(l -> l.startsWith("Presets:")).findFirst().orElseThrow();
        assertEquals("Presets:       ED, S2, S3, SE, S~2 (also S2-tilde)", presets);
    }

    @Test
    void anUnknownFeatureIsRefusedWithANonZeroExit(@TempDir Path dir) throws Exception {
        String out = run(dir, Commands.EXIT_START_FAILED, "--feature", "nope", "list");
        assertTrue(out.contains("no feature 'nope'"), out);
    }

    private static String run(Path dir, int expectedExit, String... args) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = RuntimeProcess.start(log, args);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "symphony did not finish");
        String out = Files.readString(log);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }
}
