package io.vane.protocol.packet;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;

/**
 * CONNECT (3.1.1 section 3.1, 5.0 section 3.1).
 *
 * @param clientId the client identifier, possibly empty
 * @param cleanStart Clean Session (3.1/3.1.1) or Clean Start (5.0)
 * @param keepAlive seconds, 0 to 65535
 * @param username null when the flag is not set
 * @param password null when the flag is not set
 * @param will null when the Will Flag is not set
 * @param bridge the protocol level has its top bit set (0x83, 0x84): Mosquitto's "try_private" mark of a
 *     broker bridging in, which asks not to get its own messages back and to keep their retain flag
 */
public record Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive,
        String username, byte[] password, Will will, Properties properties, boolean bridge) implements MqttPacket {

    /** A CONNECT from an ordinary client (no bridge mark). */
    public Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive, String username,
            byte[] password, Will will, Properties properties) {
        this(version, clientId, cleanStart, keepAlive, username, password, will, properties, false);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public String toString() {
        return "Connect[" + version + ", id=" + clientId + ", clean=" + cleanStart + ", k=" + keepAlive
                + ", user=" + username + ", will=" + will + (bridge ? ", bridge" : "") + "]";
    }
}
