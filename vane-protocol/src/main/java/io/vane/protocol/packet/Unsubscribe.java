package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import java.util.List;

/** UNSUBSCRIBE: at least one filter [MQTT-3.10.3-2]. */
public record Unsubscribe(int packetId, List<String> filters, Properties properties) implements MqttPacket {

    public Unsubscribe {
        filters = List.copyOf(filters);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
