package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/**
 * CONNACK. {@code reasonCode} is the 5.0 reason code; the encoder maps it to the 3.1.1 return code
 * with {@link io.vane.protocol.ReasonCode#toV3ConnAck(int)} for older clients.
 */
public record ConnAck(boolean sessionPresent, int reasonCode, Properties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
