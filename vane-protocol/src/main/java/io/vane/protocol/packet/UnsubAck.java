package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import java.util.List;

/** UNSUBACK. The reason codes exist on 5.0 only; on 3.1.1 the list is ignored by the encoder. */
public record UnsubAck(int packetId, List<Integer> reasonCodes, Properties properties) implements MqttPacket {

    public UnsubAck {
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
