package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One owner per run directory: an OS-level lock ({@link FileChannel#tryLock()}, a POSIX record lock on
 * Linux) on {@code RUN_DIR/run.lock}, held by {@code train} and {@code resume} for the life of the run and
 * released by the operating system if the process dies, so a killed run never leaves a stale lock. The file
 * holds the holder's pid, for the message a second process gets. Readers ({@code eval}, {@code swap}) take
 * no lock: they read only whole, verified checkpoints, or talk to the live run.
 */
final class RunLock implements AutoCloseable {

    static final String FILE = "run.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final byte[] previous;
    private boolean keep;

    private RunLock(FileChannel channel, FileLock lock, byte[] previous) {
        this.channel = channel;
        this.lock = lock;
        this.previous = previous;
    }

    /**
     * Takes the lock of {@code runDir}, writing this process's pid into the lock file.
     *
     * @throws RunIsLiveException if another process holds it
     */
    static RunLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        FileChannel channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            byte[] content = read(channel);
            if (lock == null) {
                String pid = new String(content, StandardCharsets.UTF_8).trim();
                throw new RunIsLiveException("run " + runDir + " is live (pid " + (pid.matches("\\d{1,10}") ? pid : "unknown")
                        + "); use 'symphony swap' or stop it first");
            }
            RunLock held = new RunLock(channel, lock, content);
            held.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
            return held;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The run is under way: the lock file keeps this process's pid after it ends. */
    void keepPid() {
        keep = true;
    }

    /** Releases the lock; a command that failed before its run got under way puts the old content back. */
    @Override
    public void close() throws IOException {
        try {
            if (!keep) {
                write(previous);
            }
            lock.release();
        } finally {
            channel.close();
        }
    }

    private void write(byte[] content) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(content), 0);
        channel.force(true);
    }

    private static byte[] read(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 64));
        channel.read(b, 0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** Another process owns the run directory. */
    static final class RunIsLiveException extends IllegalArgumentException {
        RunIsLiveException(String message) {
            super(message);
        }
    }
}
