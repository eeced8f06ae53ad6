package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;

/** Variable Byte Integers (section 1.5.5 / 2.2.3): up to four bytes, 7 bits each. */
final class VarInt {
    static final int MAX = 268_435_455;

    private VarInt() {
    }

    /** Reads one from a complete packet body; a fifth byte or a truncation is malformed. */
    static int read(ByteBuf in) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (!in.isReadable()) {
                throw Malformed.malformed("MQTT-1.5.5-1", "truncated variable byte integer");
            }
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw Malformed.malformed("MQTT-1.5.5-1", "variable byte integer longer than 4 bytes");
    }

    static int size(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    static void write(int value, ByteBuf out) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? b | 0x80 : b);
        } while (value > 0);
    }
}
