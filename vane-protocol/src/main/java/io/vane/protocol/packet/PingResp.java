package io.vane.protocol.packet;

import io.vane.protocol.PacketType;

/** PINGRESP: no variable header, no payload. */
public record PingResp() implements MqttPacket {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
