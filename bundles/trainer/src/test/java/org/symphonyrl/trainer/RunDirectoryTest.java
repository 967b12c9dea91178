package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    /** Issue 12: runs started in the same second (a seed sweep) get a directory each, created atomically. */
    @Test
    void runsStartedInTheSameSecondGetADirectoryEach(@TempDir Path dir) throws Exception {
        String stem = RunDirectory.defaultName("Pendulum-v1", LocalDateTime.of(2026, 12, 1, 6, 30, 5));
        assertEquals("Pendulum-v1-20261201-063005", stem);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(pool.submit(() -> {
                go.await();
                return RunDirectory.createUnique(dir.resolve("runs"), stem);
            }));
        }
        go.countDown();
        Set<Path> dirs = new HashSet<>();
        for (Future<Path> f : made) {
            dirs.add(f.get());
        }
        pool.shutdown();
        assertEquals(n, dirs.size(), "one directory per run");
        assertTrue(dirs.contains(dir.resolve("runs/" + stem)) && dirs.contains(dir.resolve("runs/" + stem + "-8")), dirs.toString());
        for (Path p : dirs) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("runs"))));
    }

    @Test
    void anExistingDirectoryOthersCanWriteIsNotARunDirectory(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(open));
        assertTrue(e.getMessage().startsWith("run directory " + open + " is writable by others (rwxrwxrwx)"), e.getMessage());
        Files.writeString(open.resolve("run.json"), "{}");
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.existing(open.toString()));
        assertTrue(e.getMessage().startsWith("run directory " + open + " is writable by others"), e.getMessage());
    }
}
