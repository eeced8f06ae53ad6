package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** MQTT's UTF-8 rules (both specs, section 1.5.4): well-formed, no surrogates, no U+0000. */
final class Utf8 {
    private Utf8() {
    }

    /** Reads {@code length} bytes as an MQTT UTF-8 string, validating them first. */
    static String read(ByteBuf in, int length) {
        int start = in.readerIndex();
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            byte b = in.getByte(start + i);
            if (b == 0) {
                throw Malformed.malformed("MQTT-1.5.4-2", "string contains U+0000");
            }
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            validate(in, start, length);
        }
        String s = in.toString(start, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    /** Strict UTF-8 validation: rejects overlong forms, surrogates, code points above U+10FFFF and U+0000. */
    static void validate(ByteBuf in, int start, int length) {
        int i = start;
        int end = start + length;
        while (i < end) {
            int b0 = in.getByte(i) & 0xFF;
            if (b0 == 0) {
                throw Malformed.malformed("MQTT-1.5.4-2", "string contains U+0000");
            }
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            int cp;
            if ((b0 & 0xE0) == 0xC0) {
                n = 1;
                min = 0x80;
                cp = b0 & 0x1F;
            } else if ((b0 & 0xF0) == 0xE0) {
                n = 2;
                min = 0x800;
                cp = b0 & 0x0F;
            } else if ((b0 & 0xF8) == 0xF0) {
                n = 3;
                min = 0x10000;
                cp = b0 & 0x07;
            } else {
                throw Malformed.malformed("MQTT-1.5.4-1", "ill-formed UTF-8 string");
            }
            if (i + n >= end) {
                throw Malformed.malformed("MQTT-1.5.4-1", "truncated UTF-8 sequence");
            }
            for (int k = 1; k <= n; k++) {
                int b = in.getByte(i + k) & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    throw Malformed.malformed("MQTT-1.5.4-1", "ill-formed UTF-8 string");
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw Malformed.malformed("MQTT-1.5.4-1", "ill-formed UTF-8 string (overlong, surrogate or out of range)");
            }
            i += n + 1;
        }
    }
}
