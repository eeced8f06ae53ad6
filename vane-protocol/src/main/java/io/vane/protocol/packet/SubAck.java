package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import java.util.List;

/** SUBACK: one reason code (granted QoS or failure) per filter, in order [MQTT-3.8.4-6]. */
public record SubAck(int packetId, List<Integer> reasonCodes, Properties properties) implements MqttPacket {

    public SubAck {
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
