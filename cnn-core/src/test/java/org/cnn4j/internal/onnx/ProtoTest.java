package org.cnn4j.internal.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wire encoding against hand-worked examples from the protobuf encoding guide. */
class ProtoTest {
    @Test
    void varintsTagsAndLengths() {
        // field 1 = 150 is the guide's example: 08 96 01
        assertThat(new Proto().int64(1, 150).toBytes()).containsExactly(0x08, 0x96, 0x01);
        assertThat(new Proto().int64(1, 300).toBytes()).containsExactly(0x08, 0xAC, 0x02);
        // field 2 = "testing": 12 07 74 65 73 74 69 6e 67
        assertThat(new Proto().string(2, "testing").toBytes())
                .containsExactly(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67);
        // a negative int64 is ten bytes, the last one 01
        byte[] neg = new Proto().int64(3, -1).toBytes();
        assertThat(neg).hasSize(11);
        assertThat(neg[0]).isEqualTo((byte) 0x18);
        assertThat(neg[10]).isEqualTo((byte) 0x01);
        // field 20 needs a two-byte tag: (20 << 3) | 0 = 160 = A0 01
        assertThat(new Proto().int64(20, 7).toBytes()).containsExactly(0xA0, 0x01, 0x07);
    }

    @Test
    void floatsAndPackedAndNested() {
        // 1.0f = 0x3F800000, little-endian after tag (2 << 3) | 5 = 0x15
        assertThat(new Proto().float32(2, 1f).toBytes()).containsExactly(0x15, 0x00, 0x00, 0x80, 0x3F);
        // packed [3, 270]: 0A 03 03 8E 02
        assertThat(new Proto().packedInt64(1, 3, 270).toBytes()).containsExactly(0x0A, 0x03, 0x03, 0x8E, 0x02);
        Proto inner = new Proto().int64(1, 150);
        assertThat(new Proto().message(3, inner).toBytes()).containsExactly(0x1A, 0x03, 0x08, 0x96, 0x01);
        // a 200-byte payload has a two-byte length
        byte[] big = new Proto().bytes(1, new byte[200]).toBytes();
        assertThat(big).hasSize(203);
        assertThat(new byte[] {big[1], big[2]}).containsExactly(0xC8, 0x01);
    }
}
