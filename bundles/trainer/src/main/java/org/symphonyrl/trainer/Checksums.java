package org.symphonyrl.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@value #FILE} file of a checkpoint: the SHA-256 of every other file in it, one line each in the
 * format of GNU {@code sha256sum} ({@code HEX  NAME}), so {@code sha256sum -c checksums} run inside the
 * directory checks it by hand. It is written last, after every file it names has been forced to disk: a
 * checkpoint without it was never completed.
 */
final class Checksums {

    static final String FILE = "checksums";
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9._-]+)");
    private static final int MAX_BYTES = 4096;

    private Checksums() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A digesting stream over {@code out}: what is written through it is hashed. */
    static DigestOutputStream digesting(OutputStream out) {
        return new DigestOutputStream(out, sha256());
    }

    /** A digesting stream over {@code in}. */
    static DigestInputStream digesting(InputStream in) {
        return new DigestInputStream(in, sha256());
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of a whole file, streamed. */
    static String of(Path file) throws IOException {
        try (DigestInputStream in = digesting(Files.newInputStream(file))) {
            in.transferTo(OutputStream.nullOutputStream());
            return hex(in.getMessageDigest());
        }
    }

    /** Writes the manifest for {@code sums} (file name → SHA-256 hex), in order, forced to disk. */
    static void write(Path dir, Map<String, String> sums) throws IOException {
        StringBuilder text = new StringBuilder();
        sums.forEach((name, sha) -> text.append(sha).append("  ").append(name).append('\n'));
        try (FileChannel ch = PrivateFiles.createFile(dir.resolve(FILE))) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            ch.force(true);
        }
    }

    /**
     * Reads the manifest of {@code dir}, which must name exactly {@code names}.
     *
     * @throws IOException naming what is wrong: missing, too long, a malformed line, a missing or extra name
     */
    static Map<String, String> read(Path dir, List<String> names) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException(FILE + " is missing: the checkpoint was never completed, or was written by a"
                    + " trainer before checksums existed");
        }
        PrivateFiles.checkTrusted(file, "checkpoint file");
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(FILE + " is " + Files.size(file) + " bytes long, more than a manifest of "
                    + names.size() + " files can be: the file is damaged");
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IOException(FILE + ": the line '" + abbreviate(line) + "' is not 'SHA256  NAME': the file is damaged");
            }
            if (sums.put(m.group(2), m.group(1)) != null || !names.contains(m.group(2))) {
                throw new IOException(FILE + " names " + m.group(2) + (names.contains(m.group(2)) ? " twice" : ", which"
                        + " is not part of this checkpoint") + ": the file is damaged");
            }
        }
        for (String name : names) {
            if (!sums.containsKey(name)) {
                throw new IOException(FILE + " does not name " + name + ": the file is damaged");
            }
        }
        return sums;
    }

    /** The error for a file whose SHA-256 is not the recorded one: both, abbreviated to 16 hex digits. */
    static IOException mismatch(String name, String found, String recorded) {
        return new IOException(name + ": SHA-256 is " + found.substring(0, 16) + "…, " + FILE + " records "
                + recorded.substring(0, 16) + "…: the file is damaged");
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }
}
