package org.symphonyrl.env.zmq;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proofs of protocol 2.0's handshake (PROTOCOL.md, "Authentication"): HMAC-SHA256 with the shared key K of
 * {@code "symphony-server|Nc|Ns"} (the server proves it holds K) and {@code "symphony-client|Ns|Nc"} (the client
 * does). Nonces, proofs and keys travel as hex; comparisons are constant-time.
 */
final class Handshake {

    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Handshake() {
    }

    /** A fresh random key, e.g. for a server the runtime starts. */
    static byte[] newKey() {
        return random(KEY_BYTES);
    }

    static String newNonce() {
        return HEX.formatHex(random(NONCE_BYTES));
    }

    static String serverProof(byte[] key, String clientNonce, String serverNonce) {
        return mac(key, "symphony-server", clientNonce, serverNonce);
    }

    static String clientProof(byte[] key, String serverNonce, String clientNonce) {
        return mac(key, "symphony-client", serverNonce, clientNonce);
    }

    /** Constant-time comparison of an expected proof with a received one (null is simply wrong). */
    static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static String mac(byte[] key, String role, String first, String second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String message = role + "|" + first.toLowerCase(Locale.ROOT) + "|" + second.toLowerCase(Locale.ROOT);
            return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
