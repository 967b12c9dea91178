package org.symphonyrl.trainer;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.Tensor;

/**
 * The binary files of a checkpoint: {@code agent.bin} and {@code buffer.bin}. Big-endian framing
 * (Java's DataOutput) around little-endian float32 blocks; every file starts with a magic word and a
 * format number so that a wrong or newer file is refused with a message rather than misread.
 *
 * <pre>
 * agent.bin:  "SYMA" int(1) UTF(kind) int(formatVersion)
 *             int(#tensors) { UTF(name) int(rank) long[rank](shape) floats(data) }   (sorted by name)
 *             int(#scalars) { UTF(name) double }                                       (sorted by name)
 *             longs(randomState)
 * buffer.bin: "SYMB" int(1) UTF(kind) int(S) int(A) int(capacity) int(size)
 *             floats(states) floats(actions) floats(rewards) floats(nextStates) floats(discounts)
 *             double(rewardScale) boolean(explorationEnded) longs(randomState)
 * floats(x) = int(length) then length float32 little-endian; longs(x) = int(length) then longs
 * </pre>
 *
 * <p>Reading trusts no length: every count is checked against the bytes left in the file before anything
 * is allocated ({@link SnapshotInput}), so a damaged or crafted length (0x7FFFFFF0 floats) is a clear
 * error naming the file and the byte, never an OutOfMemoryError; a file that ends early says so.
 */
final class SnapshotCodec {

    private static final int AGENT_MAGIC = 0x53594D41; // "SYMA"
    private static final int BUFFER_MAGIC = 0x53594D42; // "SYMB"
    private static final int FORMAT = 1;
    private static final int CHUNK = 1 << 16;

    private SnapshotCodec() {
    }

    static void writeAgent(DataOutputStream out, AgentSnapshot s) throws IOException {
        out.writeInt(AGENT_MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(s.kind());
        out.writeInt(s.formatVersion());
        Map<String, Tensor> tensors = new TreeMap<>(s.tensors());
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            writeFloats(out, e.getValue().data());
        }
        Map<String, Double> scalars = new TreeMap<>(s.scalars());
        out.writeInt(scalars.size());
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        writeLongs(out, s.randomState());
    }

    static AgentSnapshot readAgent(SnapshotInput in) throws IOException {
        header(in, AGENT_MAGIC);
        String kind = in.readUTF();
        int formatVersion = in.readInt();
        // the smallest tensor: name length, rank, float count; the smallest scalar: name length, value
        int n = in.count("tensors", 2 + 4 + 4);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.count("dimensions of tensor " + name, Long.BYTES)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            float[] data = readFloats(in, "tensor " + name);
            try {
                tensors.put(name, new Tensor(shape, data));
            } catch (IllegalArgumentException e) {
                throw in.damaged("tensor " + name + ": " + e.getMessage());
            }
        }
        int m = in.count("scalars", 2 + Double.BYTES);
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            scalars.put(in.readUTF(), in.readDouble());
        }
        return new AgentSnapshot(kind, formatVersion, tensors, scalars, readLongs(in, "random state"));
    }

    static void writeBuffer(DataOutputStream out, BufferSnapshot s) throws IOException {
        out.writeInt(BUFFER_MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(s.kind());
        out.writeInt(s.observationSize());
        out.writeInt(s.actionSize());
        out.writeInt(s.capacity());
        out.writeInt(s.size());
        writeFloats(out, s.states());
        writeFloats(out, s.actions());
        writeFloats(out, s.rewards());
        writeFloats(out, s.nextStates());
        writeFloats(out, s.discounts());
        out.writeDouble(s.rewardScale());
        out.writeBoolean(s.explorationEnded());
        writeLongs(out, s.randomState());
    }

    static BufferSnapshot readBuffer(SnapshotInput in) throws IOException {
        header(in, BUFFER_MAGIC);
        String kind = in.readUTF();
        int observationSize = in.readInt();
        int actionSize = in.readInt();
        int capacity = in.readInt();
        int size = in.readInt();
        float[] states = readFloats(in, "states");
        float[] actions = readFloats(in, "actions");
        float[] rewards = readFloats(in, "rewards");
        float[] nextStates = readFloats(in, "next states");
        float[] discounts = readFloats(in, "discounts");
        double rewardScale = in.readDouble();
        boolean explorationEnded = in.readBoolean();
        long[] randomState = readLongs(in, "random state");
        try {
            return new BufferSnapshot(kind, observationSize, actionSize, capacity, size, states, actions, rewards,
                    nextStates, discounts, rewardScale, explorationEnded, randomState);
        } catch (IllegalArgumentException e) {
            throw in.damaged(e.getMessage());
        }
    }

    private static void header(SnapshotInput in, int magic) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw in.damaged("not " + (magic == AGENT_MAGIC ? "an agent" : "a buffer") + " snapshot (magic "
                    + Integer.toHexString(m) + ")");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw in.damaged("snapshot format " + format + ", this trainer reads format " + FORMAT);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] data) throws IOException {
        out.writeInt(data.length);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK) {
            int n = Math.min(CHUNK, data.length - from);
            bytes.clear();
            bytes.asFloatBuffer().put(data, from, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
        }
    }

    private static float[] readFloats(SnapshotInput in, String what) throws IOException {
        float[] data = new float[in.count("floats of " + what, Float.BYTES)];
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK) {
            int n = Math.min(CHUNK, data.length - from);
            in.readFully(bytes.array(), 0, n * Float.BYTES);
            bytes.clear();
            bytes.asFloatBuffer().get(data, from, n);
        }
        return data;
    }

    private static void writeLongs(DataOutputStream out, long[] data) throws IOException {
        out.writeInt(data.length);
        for (long v : data) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(SnapshotInput in, String what) throws IOException {
        long[] data = new long[in.count("longs of " + what, Long.BYTES)];
        for (int i = 0; i < data.length; i++) {
            data[i] = in.readLong();
        }
        return data;
    }
}
