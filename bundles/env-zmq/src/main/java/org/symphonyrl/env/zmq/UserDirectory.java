package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * The per-user directory, {@code ~/.symphony} (docs/security.md): {@code secret} (the key K that robot adapters
 * and the runtime prove to each other, 32 random bytes as 64 hex digits), {@code adapters/} (one announce file
 * per robot adapter) and {@code logs/}. All owner-only, checked when read. The Python side
 * ({@code symphony_bridge/userdir.py}) keeps the same layout.
 *
 * <p>Where it is: the property {@value #PROPERTY}, else the environment variable {@value #VARIABLE}, else
 * {@code ~/.symphony}.
 */
record UserDirectory(Path root) {

    static final String PROPERTY = "symphony.user.dir";
    static final String VARIABLE = "SYMPHONY_USER_DIR";

    /** Reads {@value #PROPERTY} from {@code properties} (framework, then system properties). */
    static UserDirectory from(UnaryOperator<String> properties) {
        String configured = properties.apply(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(VARIABLE);
        }
        if (configured == null || configured.isBlank()) {
            return new UserDirectory(Path.of(System.getProperty("user.home"), ".symphony"));
        }
        return new UserDirectory(Path.of(configured.trim()).toAbsolutePath());
    }

    /** The per-user key K, created (by whichever side needs it first) if there is none yet. */
    byte[] secret() {
        Path file = root.resolve("secret");
        try {
            PrivateFiles.directory(root);
            PrivateFiles.create(file, (Handshake.hex(Handshake.newKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
            return parseKey(PrivateFiles.read(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the per-user key " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] parseKey(byte[] text, String source) {
        String hex = new String(text, StandardCharsets.US_ASCII).strip();
        if (hex.length() == 2 * Handshake.KEY_BYTES && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(hex);
        }
        throw new IllegalStateException(source + ": expected a key of " + 2 * Handshake.KEY_BYTES
                + " hex digits (" + Handshake.KEY_BYTES + " bytes)");
    }

    /**
     * The checked {@code adapters/} directory, or null when there is none yet (no adapter was ever announced):
     * looking for adapters creates nothing in the user's home.
     */
    Path existingAdapters() throws IOException {
        Path adapters = root.resolve("adapters");
        if (!Files.exists(adapters, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        PrivateFiles.check(root);
        PrivateFiles.check(adapters);
        return adapters;
    }

    Path adapters() throws IOException {
        PrivateFiles.directory(root);
        return PrivateFiles.directory(root.resolve("adapters"));
    }

    Path logs() throws IOException {
        PrivateFiles.directory(root);
        return PrivateFiles.directory(root.resolve("logs"));
    }
}
