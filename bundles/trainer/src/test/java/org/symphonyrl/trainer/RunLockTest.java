package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock of a run directory within one JVM (a second process is refused the same way: runtime's RunSafetyTest). */
class RunLockTest {

    @Test
    void aSecondOwnerIsRefusedWithTheHoldersPid(@TempDir Path dir) throws Exception {
        long pid = ProcessHandle.current().pid();
        try (RunLock lock = RunLock.acquire(dir)) {
            lock.keepPid();
            assertEquals(pid + "\n", Files.readString(dir.resolve(RunLock.FILE)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RunLock.FILE))));
            RunLock.RunIsLiveException e = assertThrows(RunLock.RunIsLiveException.class, () -> RunLock.acquire(dir));
            assertEquals("run " + dir + " is live (pid " + pid + "); use 'symphony swap' or stop it first", e.getMessage());
        }
        RunLock.acquire(dir).close(); // released: free again
    }

    @Test
    void aHolderThatNeverGotUnderWayPutsTheFileBack(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunLock.FILE), "4242\n");
        try (RunLock lock = RunLock.acquire(dir)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(RunLock.FILE)));
        }
        assertEquals("4242\n", Files.readString(dir.resolve(RunLock.FILE)));
    }
}
