package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import java.util.List;

/** SUBSCRIBE: at least one filter [MQTT-3.8.3-3]. */
public record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties)
        implements MqttPacket {

    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
