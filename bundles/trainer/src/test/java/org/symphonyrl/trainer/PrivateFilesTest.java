package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owner-only creation and the checks on reading. (Creation under a permissive umask is tested with a real
 * process started under umask 000: runtime's RunFilesTest.)
 */
class PrivateFilesTest {

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void directoriesAndFilesAreCreatedForTheOwnerOnly(@TempDir Path dir) throws IOException {
        Path nested = PrivateFiles.createDirectories(dir.resolve("a/b/c"));
        for (Path p : new Path[] {dir.resolve("a"), dir.resolve("a/b"), nested}) {
            assertEquals("rwx------", mode(p), p.toString());
        }
        try (FileChannel ch = PrivateFiles.createFile(nested.resolve("f"))) {
            assertEquals("rw-------", mode(nested.resolve("f")));
        }
        PrivateFiles.writeAtomically(nested.resolve("g"), new byte[] {1});
        assertEquals("rw-------", mode(nested.resolve("g")));
        Files.setPosixFilePermissions(nested.resolve("g"), PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.writeAtomically(nested.resolve("g"), new byte[] {2});
        assertEquals("rw-------", mode(nested.resolve("g")), "a replaced file is a new, private file");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> PrivateFiles.createDirectory(nested));
    }

    @Test
    void filesOthersCouldWriteAreRefusedAndSecretsOthersCouldReadToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        PrivateFiles.writeAtomically(file, new byte[] {'{', '}'});
        PrivateFiles.checkTrusted(file, "run description");
        PrivateFiles.checkSecret(file, "control file");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.checkTrusted(file, "run description"); // readable by others: not a secret, still trusted
        IOException leaked = assertThrows(IOException.class, () -> PrivateFiles.checkSecret(file, "control file"));
        assertEquals("control file " + file + " is readable or writable by others: its secret may have leaked"
                + " (rw-r--r--); refusing to use it. If you trust its content, run 'chmod go-rwx " + file + "'",
                leaked.getMessage());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        IOException writable = assertThrows(IOException.class, () -> PrivateFiles.checkTrusted(file, "run description"));
        assertTrue(writable.getMessage().startsWith("run description " + file + " is writable by others (rw-rw-r--)"),
                writable.getMessage());

        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, file);
        assertEquals("run description " + link + " is a symbolic link; refusing to follow it",
                assertThrows(IOException.class, () -> PrivateFiles.checkTrusted(link, "run description")).getMessage());
    }

    @Test
    void aFileOfAnotherUserIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        PrivateFiles.writeAtomically(file, new byte[] {'{', '}'});
        Process chown = new ProcessBuilder("chown", "12345:12345", file.toString()).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(chown.waitFor() == 0, "changing a file's owner needs root");
        UserPrincipal owner = Files.getOwner(file);
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.checkTrusted(file, "run description"));
        assertEquals("run description " + file + " belongs to " + owner.getName() + ", not to "
                + System.getProperty("user.name") + "; refusing to use it", e.getMessage());
    }
}
