package io.vane.broker.connection;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.Disconnect;

/** DISCONNECT from the client (3.1.1 section 3.14, 5.0 section 3.14). */
final class DisconnectHandler {
    private DisconnectHandler() {
    }

    static void handle(ClientConnection c, Disconnect p) {
        Long expiry = p.properties().sessionExpiryInterval();
        if (c.version == MqttVersion.V5 && expiry != null) {
            if (c.sessionExpiry == 0 && expiry != 0) {
                // [MQTT-3.14.2-2]: a session that was to end cannot be given a life at the last moment.
                ClientConnection.LOG.info("Client {} set a session expiry in DISCONNECT after 0 at CONNECT.",
                        c.clientId);
                c.endLogged = true;
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "session expiry interval was 0 at CONNECT");
                return;
            }
            c.sessionExpiry = expiry;
        }
        // The will is discarded on a normal DISCONNECT [MQTT-3.14.4-3]; 0x04 asks for it (5.0).
        c.willSuppressed = !(c.version == MqttVersion.V5 && p.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL);
        ClientConnection.LOG.debug("Received DISCONNECT from {}", c.clientId);
        ClientConnection.LOG.info(ClientConnection.CONNECTION, "Client {} disconnected.", c.clientId);
        c.endLogged = true;
        c.channel.close();
        c.channelClosed();
    }
}
