package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.packet.MqttPacket;

/** Turns packets into bytes for a given protocol version. Stateless and thread-safe. */
public final class MqttEncoder {
    private MqttEncoder() {
    }

    /**
     * Encodes {@code packet} into a new buffer from {@code alloc}. Does not release the packet: a
     * PUBLISH's payload keeps its reference count (large payloads are attached, not copied).
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        throw new UnsupportedOperationException("to be written");
    }

    /** The number of bytes {@link #encode} would produce, for checking a peer's Maximum Packet Size. */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        throw new UnsupportedOperationException("to be written");
    }
}
