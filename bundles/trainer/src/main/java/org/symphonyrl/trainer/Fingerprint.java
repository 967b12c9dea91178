package org.symphonyrl.trainer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Tensor;

/**
 * SHA-256 of a snapshot's whole content, bit for bit, so that "the state after a restore is the state
 * that was saved" can be checked and printed: recorded in each checkpoint's state.json, compared after
 * a resume and across an agent-bundle swap.
 */
final class Fingerprint {

    private static final int CHUNK = 1 << 14;

    private Fingerprint() {
    }

    /** Kind, every tensor (name, shape, data), every scalar and the random state, in name order. */
    static String of(AgentSnapshot s) {
        MessageDigest sha = sha256();
        text(sha, s.kind());
        for (Map.Entry<String, Tensor> e : new TreeMap<>(s.tensors()).entrySet()) {
            text(sha, e.getKey());
            longs(sha, e.getValue().shape());
            floats(sha, e.getValue().data());
        }
        for (Map.Entry<String, Double> e : new TreeMap<>(s.scalars()).entrySet()) {
            text(sha, e.getKey());
            sha.update(ByteBuffer.allocate(8).putDouble(e.getValue()).array());
        }
        longs(sha, s.randomState());
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Contents in logical order, r̄, the exploration flag and the sampling stream (not the kind: it may change). */
    static String of(BufferSnapshot s) {
        MessageDigest sha = sha256();
        longs(sha, new long[] {s.observationSize(), s.actionSize(), s.size()});
        floats(sha, s.states());
        floats(sha, s.actions());
        floats(sha, s.rewards());
        floats(sha, s.nextStates());
        floats(sha, s.discounts());
        sha.update(ByteBuffer.allocate(9).putDouble(s.rewardScale()).put((byte) (s.explorationEnded() ? 1 : 0)).array());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void text(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }

    private static void longs(MessageDigest sha, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + values.length * 8).putInt(values.length);
        for (long v : values) {
            b.putLong(v);
        }
        sha.update(b.array());
    }

    /** The length, then every value's raw bits big-endian, in chunks (a Humanoid buffer holds 10⁸ floats). */
    private static void floats(MessageDigest sha, float[] values) {
        sha.update(ByteBuffer.allocate(4).putInt(values.length).array());
        ByteBuffer b = ByteBuffer.allocate(CHUNK * Float.BYTES);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            b.clear();
            for (int i = from; i < from + n; i++) {
                b.putInt(Float.floatToRawIntBits(values[i]));
            }
            sha.update(b.array(), 0, n * Float.BYTES);
        }
    }
}
