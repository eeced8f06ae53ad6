package io.vane.protocol.packet;

import io.netty.buffer.ByteBuf;
import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/**
 * PUBLISH. The packet owns one reference to {@code payload}: whoever consumes the packet (the
 * broker after routing it, or the transport after encoding it) releases the payload exactly once.
 *
 * @param topic the topic name; empty only when a 5.0 topic alias stands in for it
 * @param packetId 0 for QoS 0
 */
public record Publish(String topic, int qos, boolean retain, boolean dup, int packetId,
        Properties properties, ByteBuf payload) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public String toString() {
        return "Publish[" + topic + ", q" + qos + ", r" + (retain ? 1 : 0) + ", d" + (dup ? 1 : 0)
                + ", m" + packetId + ", " + payload.readableBytes() + " bytes]";
    }
}
