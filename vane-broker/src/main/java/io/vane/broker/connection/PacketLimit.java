package io.vane.broker.connection;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;

/**
 * The client's Maximum Packet Size (5.0 section 3.1.2.11.4) applied to the packets the broker writes
 * with optional properties: the Server MUST NOT send packets exceeding it [MQTT-3.1.2-24], and leaves
 * out the Reason String [MQTT-3.2.2-19, MQTT-3.14.2-3] and User Properties [MQTT-3.2.2-20,
 * MQTT-3.14.2-4] rather than exceed it.
 */
final class PacketLimit {
    private PacketLimit() {
    }

    /** {@code packet} as it may be sent within {@code max} bytes, or null when even the bare packet is larger. */
    static MqttPacket fit(MqttPacket packet, long max) {
        if (max == Long.MAX_VALUE || MqttEncoder.encodedSize(packet, MqttVersion.V5) <= max) {
            return packet;
        }
        MqttPacket bare = packet;
        if (packet instanceof ConnAck a) {
            bare = new ConnAck(a.sessionPresent(), a.reasonCode(), withoutOptional(a.properties()));
        } else if (packet instanceof Disconnect d) {
            bare = new Disconnect(d.reasonCode(), withoutOptional(d.properties()));
        }
        return MqttEncoder.encodedSize(bare, MqttVersion.V5) <= max ? bare : null;
    }

    private static Properties withoutOptional(Properties p) {
        Properties cut = p.toBuilder().reasonString(null).clearUserProperties().build();
        return cut.isEmpty() ? Properties.NONE : cut;
    }
}
