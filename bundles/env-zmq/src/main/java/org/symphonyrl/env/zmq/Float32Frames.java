package org.symphonyrl.env.zmq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Arrays as they travel: raw little-endian float32, no header (PROTOCOL.md, "Messages"). */
final class Float32Frames {

    private Float32Frames() {
    }

    static byte[] encode(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static float[] decode(byte[] frame, String what) {
        if (frame.length % 4 != 0) {
            throw new BridgeException(Protocol.E_MALFORMED,
                    what + " frame has " + frame.length + " bytes, not a multiple of 4 (float32)");
        }
        float[] values = new float[frame.length / 4];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
