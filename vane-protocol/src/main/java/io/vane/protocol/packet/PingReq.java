package io.vane.protocol.packet;

import io.vane.protocol.PacketType;

/** PINGREQ: no variable header, no payload. */
public record PingReq() implements MqttPacket {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
