package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/** AUTH (5.0 only): enhanced authentication exchange. */
public record Auth(int reasonCode, Properties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
