package io.vane.broker.connection;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP from the client (3.1.1 sections 3.4-3.7, 5.0 sections 3.4-3.7).
 * Four tiny handlers that share one idea: find the flow by packet id and move it on.
 */
final class AckHandlers {
    private AckHandlers() {
    }

    /** PUBACK: the client has a QoS 1 message we sent. */
    static void pubAck(ClientConnection c, PubAck p) {
        if (!c.session.acknowledge(p.packetId())) {
            ClientConnection.LOG.debug("Client {} sent PUBACK for unknown packet id {}.", c.clientId, p.packetId());
        }
    }

    /** PUBREC: first half of an outbound QoS 2 flow; answer PUBREL [MQTT-4.3.3-?]. */
    static void pubRec(ClientConnection c, PubRec p) {
        if (c.version == MqttVersion.V5 && ReasonCode.isError(p.reasonCode())) {
            // The client refused the message; the flow ends [MQTT-4.3.3-4].
            c.session.refused(p.packetId());
            return;
        }
        if (c.session.received(p.packetId())) {
            // PUBREL only once "released" is stored: a restart must resend PUBREL, never the PUBLISH.
            int id = p.packetId();
            c.acks.then(c.session.journalFlushed(), v -> c.channel.write(new PubRel(id)));
        } else {
            c.channel.write(new PubRel(p.packetId(), reasonIfV5(c, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND),
                    Properties.NONE));
        }
    }

    /** PUBREL: the client releases an inbound QoS 2 message we already routed; answer PUBCOMP. */
    static void pubRel(ClientConnection c, PubRel p) {
        boolean known = c.session.releaseInboundQos2(p.packetId());
        int reason = known ? ReasonCode.SUCCESS : reasonIfV5(c, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
        // PUBCOMP once the id's release is stored: a stale id after a restart would swallow the client's
        // next QoS 2 message with that id as a resend.
        c.acks.then(c.session.journalFlushed(), v -> c.channel.write(new PubComp(p.packetId(), reason,
                Properties.NONE)));
    }

    /** PUBCOMP: an outbound QoS 2 flow is complete. */
    static void pubComp(ClientConnection c, PubComp p) {
        if (!c.session.completed(p.packetId())) {
            ClientConnection.LOG.debug("Client {} sent PUBCOMP for unknown packet id {}.", c.clientId, p.packetId());
        }
    }

    private static int reasonIfV5(ClientConnection c, int reason) {
        return c.version == MqttVersion.V5 ? reason : ReasonCode.SUCCESS;
    }
}
