package org.cnn4j.internal.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message being written, by hand: the wire format's varints and length-delimited
 * fields (https://protobuf.dev/programming-guides/encoding/). Nested messages are written into
 * their own {@code Proto} first and added whole, so every length is known when it is written.
 * Only what ONNX needs: wire types 0 (varint), 2 (length-delimited) and 5 (32-bit float).
 */
public final class Proto {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int64/int32/enum field; negative values take ten bytes, as protobuf writes them. */
    public Proto int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field (wire type 5, little-endian IEEE 754). */
    public Proto float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** A string field, UTF-8. */
    public Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    public Proto bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** An embedded message field. */
    public Proto message(int field, Proto value) {
        return bytes(field, value.toBytes());
    }

    /** A packed repeated int64 field: one length-delimited run of varints. */
    public Proto packedInt64(int field, long... values) {
        Proto run = new Proto();
        for (long v : values) {
            run.varint(v);
        }
        return bytes(field, run.toBytes());
    }

    /** Floats as fixed-width little-endian bytes (the payload of TensorProto.raw_data). */
    public static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** The encoded message. */
    public byte[] toBytes() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1) {
            throw new IllegalArgumentException("protobuf field numbers start at 1, got " + field);
        }
        varint(((long) field << 3) | wireType);
    }

    // 7 bits per byte, least significant group first, high bit set on all but the last
    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
