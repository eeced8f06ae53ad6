package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/** PUBCOMP: one step of the QoS 1/2 flows. On 3.1/3.1.1 the reason code is always 0 and not on the wire. */
public record PubComp(int packetId, int reasonCode, Properties properties) implements MqttPacket {

    public PubComp(int packetId) {
        this(packetId, 0, Properties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
