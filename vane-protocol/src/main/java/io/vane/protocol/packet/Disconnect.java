package io.vane.protocol.packet;

import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/** DISCONNECT, sent by either side on 5.0; client to server only on 3.1.1 (then always reason 0). */
public record Disconnect(int reasonCode, Properties properties) implements MqttPacket {
    public static final Disconnect NORMAL = new Disconnect(0, Properties.NONE);

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
