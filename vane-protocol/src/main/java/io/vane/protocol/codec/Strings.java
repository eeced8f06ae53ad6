package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Two-byte-length-prefixed UTF-8 strings and binary data (section 1.5.4, 1.5.6). */
final class Strings {
    private Strings() {
    }

    static int size(String s) {
        return 2 + PropertiesCodec.utf8Length(s);
    }

    static void write(String s, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        out.setShort(lengthIndex, n);
    }

    /** Reads a string field from a packet body, which must hold it entirely. */
    static String read(ByteBuf in) {
        if (in.readableBytes() < 2) {
            throw Malformed.malformed("MQTT-1.5.4-1", "truncated string length");
        }
        int len = in.readUnsignedShort();
        if (in.readableBytes() < len) {
            throw Malformed.malformed("MQTT-1.5.4-1", "string runs past the packet");
        }
        return Utf8.read(in, len);
    }

    static byte[] readBinary(ByteBuf in) {
        if (in.readableBytes() < 2) {
            throw Malformed.malformed("MQTT-1.5.6-1", "truncated binary length");
        }
        int len = in.readUnsignedShort();
        if (in.readableBytes() < len) {
            throw Malformed.malformed("MQTT-1.5.6-1", "binary data runs past the packet");
        }
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }
}
