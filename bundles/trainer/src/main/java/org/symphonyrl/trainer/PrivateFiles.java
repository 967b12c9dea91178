package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Everything a run writes is its owner's alone: directories are created 0700 and files 0600, with the
 * permissions given to the system call that creates them (never a chmod afterwards, which leaves a window),
 * so the umask can only make them stricter. What a command reads back from a run directory is checked the
 * same way: a file another user owns or could have written is refused, and a secret others could read is
 * refused, each with a message naming the file and what to do.
 *
 * <p>On a file system without POSIX permissions (not Linux or macOS) creation falls back to the defaults
 * and the checks pass.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WRITE_BY_OTHERS =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> ANY_BY_OTHERS = EnumSet.complementOf(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));

    private PrivateFiles() {
    }

    /** Creates {@code dir} (0700), failing with {@link FileAlreadyExistsException} if it exists: atomic. */
    static Path createDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, attributes(dir, DIRECTORY));
    }

    /** Creates {@code dir} and its missing parents, each new level 0700; an existing directory is kept. */
    static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            createDirectory(absolute);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /** Opens a new file (0600) for writing; fails if it exists. */
    static FileChannel createFile(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Opens {@code file} with {@code options}; if they create it, it is created 0600. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(Set.of(options));
        return FileChannel.open(file, set, attributes(file, FILE));
    }

    /**
     * Replaces {@code target} with {@code bytes} atomically: a 0600 temporary file in the same directory,
     * forced to disk, renamed over the target. A reader sees the old content or the new, never half.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel ch = createFile(temp)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Refuses {@code path} (a run directory or a file in it) unless the current user owns it and neither the
     * group nor others may write it: a run.json or checkpoint someone else could have written must not drive
     * the owner's runtime.
     */
    static void checkTrusted(Path path, String what) throws IOException {
        check(path, what, WRITE_BY_OTHERS, "writable by others", "chmod go-w");
    }

    /** Refuses a secret (the control token) unless the current user owns it and no one else may read or write it. */
    static void checkSecret(Path path, String what) throws IOException {
        check(path, what, ANY_BY_OTHERS, "readable or writable by others: its secret may have leaked", "chmod go-rwx");
    }

    private static void check(Path path, String what, Set<PosixFilePermission> forbidden, String problem, String fix)
            throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        PosixFileAttributes a = view.readAttributes();
        if (a.isSymbolicLink()) {
            throw new UntrustedFileException(what + " " + path + " is a symbolic link; refusing to follow it");
        }
        UserPrincipal me = currentUser(path);
        if (me != null && !a.owner().equals(me)) {
            throw new UntrustedFileException(what + " " + path + " belongs to " + a.owner().getName() + ", not to "
                    + me.getName() + "; refusing to use it");
        }
        Set<PosixFilePermission> bad = EnumSet.noneOf(PosixFilePermission.class);
        bad.addAll(a.permissions());
        bad.retainAll(forbidden);
        if (!bad.isEmpty()) {
            throw new UntrustedFileException(what + " " + path + " is " + problem + " ("
                    + PosixFilePermissions.toString(a.permissions()) + "); refusing to use it. If you trust its"
                    + " content, run '" + fix + " " + path + "'");
        }
    }

    /** The user this process runs as, looked up by name on the file system of {@code path}. */
    private static UserPrincipal currentUser(Path path) {
        try {
            return path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
        Path existing = path.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing == null
                || Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    /** A file that fails the ownership or permission check. */
    static final class UntrustedFileException extends IOException {
        UntrustedFileException(String message) {
            super(message);
        }
    }
}
