package io.vane.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The few MQTT 3.1.1 packets the load generator sends, written by hand. It deliberately does not use
 * Vane's codec: a bug there must not be able to cancel itself out in a benchmark of Vane.
 */
final class MqttWire {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    /** Bytes at the start of every payload: publisher index, sequence number, send time (nanoTime). */
    static final int STAMP_BYTES = 16;

    private MqttWire() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** CONNECT, protocol level 4, clean session. */
    static ByteBuf connect(ByteBufAllocator alloc, String clientId, int keepAliveSeconds) {
        return connect(alloc, clientId, keepAliveSeconds, true);
    }

    /** CONNECT, protocol level 4; {@code clean} false asks for a persistent session. */
    static ByteBuf connect(ByteBufAllocator alloc, String clientId, int keepAliveSeconds, boolean clean) {
        byte[] id = utf8(clientId);
        int remaining = 10 + 2 + id.length;
        ByteBuf b = alloc.buffer(2 + 4 + remaining);
        b.writeByte(CONNECT << 4);
        writeRemainingLength(b, remaining);
        b.writeShort(4).writeBytes(new byte[] {'M', 'Q', 'T', 'T'});
        b.writeByte(4).writeByte(clean ? 0x02 : 0x00).writeShort(keepAliveSeconds);
        b.writeShort(id.length).writeBytes(id);
        return b;
    }

    static ByteBuf subscribe(ByteBufAllocator alloc, int packetId, String filter, int qos) {
        byte[] f = utf8(filter);
        int remaining = 2 + 2 + f.length + 1;
        ByteBuf b = alloc.buffer(2 + 4 + remaining);
        b.writeByte(0x82);
        writeRemainingLength(b, remaining);
        b.writeShort(packetId).writeShort(f.length).writeBytes(f).writeByte(qos);
        return b;
    }

    /**
     * A PUBLISH whose payload starts with the stamp and is padded with zeros to {@code payloadSize}
     * (at least {@link #STAMP_BYTES}).
     */
    static ByteBuf publish(ByteBufAllocator alloc, byte[] topic, int qos, int packetId, int payloadSize,
            int publisher, int seq, long nanos) {
        int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + payloadSize;
        ByteBuf b = alloc.buffer(1 + 4 + remaining);
        b.writeByte((PUBLISH << 4) | (qos << 1));
        writeRemainingLength(b, remaining);
        b.writeShort(topic.length).writeBytes(topic);
        if (qos > 0) {
            b.writeShort(packetId);
        }
        b.writeInt(publisher).writeInt(seq).writeLong(nanos);
        b.writeZero(payloadSize - STAMP_BYTES);
        return b;
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP. */
    static ByteBuf ack(ByteBufAllocator alloc, int type, int packetId) {
        ByteBuf b = alloc.buffer(4);
        b.writeByte((type << 4) | (type == PUBREL ? 0x02 : 0));
        b.writeByte(2).writeShort(packetId);
        return b;
    }

    static ByteBuf pingreq(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(0xC0).writeByte(0);
    }

    static ByteBuf disconnect(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(0xE0).writeByte(0);
    }

    static void writeRemainingLength(ByteBuf b, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            b.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }
}
