package org.symphonyrl.trainer;

import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The reading side of {@link SnapshotCodec}: Java's DataInput over a file of known size that counts what it
 * has consumed, so that every length read from the file is checked against the bytes that are really left
 * before an array of that length is allocated, and every error names the file and the byte.
 */
final class SnapshotInput extends DataInputStream {

    private final Counter counter;
    private final long size;
    private final String file;

    /**
     * @param in   the file's bytes, from the start (buffered by the caller)
     * @param size the file's size in bytes
     * @param file the file's name for messages
     */
    SnapshotInput(InputStream in, long size, String file) {
        this(new Counter(in), size, file);
    }

    private SnapshotInput(Counter counter, long size, String file) {
        super(counter);
        this.counter = counter;
        this.size = size;
        this.file = file;
    }

    /** Bytes consumed so far. */
    long position() {
        return counter.count;
    }

    long remaining() {
        return size - counter.count;
    }

    /**
     * Reads a count of {@code what} whose elements take at least {@code bytesEach} bytes each, refusing a
     * negative one or one that cannot fit in the rest of the file.
     */
    int count(String what, int bytesEach) throws IOException {
        long at = position();
        int n = readInt();
        if (n < 0) {
            throw damaged(String.format(Locale.ROOT, "negative number of %s (%d) at byte %,d", what, n, at));
        }
        long bytes = (long) n * bytesEach;
        if (bytes > remaining()) {
            throw damaged(String.format(Locale.ROOT, "%,d %s (at least %,d bytes) announced at byte %,d do not fit in"
                    + " the %,d bytes left of the file", n, what, bytes, at, remaining()));
        }
        return n;
    }

    /** An error about this file's content. */
    IOException damaged(String detail) {
        return new IOException(file + ": " + detail + ": the file is damaged");
    }

    /** The error for a file that ended in the middle of a value. */
    IOException truncated() {
        return new IOException(String.format(Locale.ROOT, "%s: the file ends after %,d of its %,d bytes in the middle"
                + " of a value: the file is truncated or damaged", file, position(), size));
    }

    /** Counts the bytes handed to the reader above it. */
    private static final class Counter extends FilterInputStream {
        long count;

        Counter(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
