package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Owner-only files and directories (docs/security.md): created 0600 / 0700 whatever the umask, and checked when
 * read: a file another user owns, or that group or others may access, is refused with the command that fixes it.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile Integer uid;

    private PrivateFiles() {
    }

    /** A private file or directory that is not: another owner, a permission for group or others, a link. */
    static final class NotPrivateException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotPrivateException(String message) {
            super(message);
        }
    }

    /** The uid this process runs as: the owner of /proc/self (Linux), else of a file it creates. */
    static int currentUid() {
        Integer known = uid;
        if (known == null) {
            try {
                known = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                try {
                    Path probe = Files.createTempFile("symphony-uid", ".tmp");
                    known = (Integer) Files.getAttribute(probe, "unix:uid");
                    Files.delete(probe);
                } catch (IOException failed) {
                    throw new UncheckedIOException("cannot tell which user this process runs as", failed);
                }
            }
            uid = known;
        }
        return known;
    }

    /** Throws {@link NotPrivateException} unless this user owns {@code path} and only this user may access it. */
    static Map<String, Object> check(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        if (Boolean.TRUE.equals(attributes.get("isSymbolicLink"))) {
            throw new NotPrivateException(path + " is a symbolic link; Symphony's private files must be real files: "
                    + "remove it");
        }
        boolean directory = Boolean.TRUE.equals(attributes.get("isDirectory"));
        int owner = (Integer) attributes.get("uid");
        if (owner != currentUid()) {
            throw new NotPrivateException(path + " is owned by uid " + owner + ", not by you (uid " + currentUid()
                    + "): another user could have written it; remove it (or chown it to yourself if it is yours)");
        }
        int mode = (Integer) attributes.get("mode");
        if ((mode & 077) != 0) {
            throw new NotPrivateException(path + ": " + (directory ? "directory" : "file") + " mode "
                    + String.format("%03o", mode & 0777) + " lets other users in; run 'chmod "
                    + (directory ? "700 " : "600 ") + path + "'");
        }
        return attributes;
    }

    /** {@code dir} as an owner-only directory, created with its missing parents if needed, checked if present. */
    static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (dir.getParent() != null && !Files.exists(dir.getParent())) {
                Files.createDirectories(dir.getParent());
            }
            try {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, DIRECTORY); // createDirectory's mode went through the umask
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by another process: checked below like any existing one
            }
        }
        check(dir);
        return dir;
    }

    /** The content of an owner-only file; the file checked before and after reading is the same one. */
    static byte[] read(Path file) throws IOException {
        Object key = check(file).get("fileKey");
        byte[] content;
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > 1 << 20) {
                throw new IOException(file + " has " + size + " bytes; a Symphony private file has a few hundred");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read it all
            }
            content = buffer.array();
        }
        if (!key.equals(check(file).get("fileKey"))) {
            throw new IOException(file + " was replaced while it was read; try again");
        }
        return content;
    }

    /** Writes an owner-only file atomically (temp file + rename): a reader sees the old or the new content. */
    static void write(Path file, byte[] content) throws IOException {
        Path temp = temp(file, content);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates an owner-only file atomically unless one exists (a hard link never replaces); false if it existed. */
    static boolean create(Path file, byte[] content) throws IOException {
        Path temp = temp(file, content);
        try {
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new empty owner-only file; null if {@code file} exists already. */
    static Path createEmpty(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException exists) {
            return null;
        }
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    private static Path temp(Path file, byte[] content) throws IOException {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + HexFormat.of().formatHex(random) + ".tmp");
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE));
        try {
            Files.setPosixFilePermissions(temp, FILE); // the umask may have taken bits away, never added
            Files.write(temp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }
}
