package io.vane.broker.connection;

import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Unsubscribe;

/** The one switch: each inbound packet type goes to its handler. Handlers never see bytes. */
final class PacketDispatcher {
    private PacketDispatcher() {
    }

    static void dispatch(ClientConnection c, MqttPacket packet) {
        switch (packet.type()) {
            case CONNECT -> ConnectHandler.handle(c, (Connect) packet);
            case PUBLISH -> PublishHandler.handle(c, (Publish) packet);
            case PUBACK -> AckHandlers.pubAck(c, (PubAck) packet);
            case PUBREC -> AckHandlers.pubRec(c, (PubRec) packet);
            case PUBREL -> AckHandlers.pubRel(c, (PubRel) packet);
            case PUBCOMP -> AckHandlers.pubComp(c, (PubComp) packet);
            case SUBSCRIBE -> SubscribeHandler.handle(c, (Subscribe) packet);
            case UNSUBSCRIBE -> UnsubscribeHandler.handle(c, (Unsubscribe) packet);
            case PINGREQ -> c.channel.write(PingResp.INSTANCE);
            case DISCONNECT -> DisconnectHandler.handle(c, (Disconnect) packet);
            case AUTH, CONNACK, SUBACK, UNSUBACK, PINGRESP -> serverOnly(c, packet);
        }
    }

    /** A packet only a server sends, or AUTH which Vane does not offer: a protocol error. */
    private static void serverOnly(ClientConnection c, MqttPacket p) {
        ClientConnection.LOG.info("Client {} sent {}, which a client must not send; disconnecting.",
                c.clientIdForLog(), p.type());
        c.endLogged = true;
        c.disconnect(ReasonCode.PROTOCOL_ERROR, p.type() + " not allowed from a client");
    }

    /** Releases what a packet holds when it will not be handled. */
    static void discard(MqttPacket packet) {
        if (packet instanceof Publish p) {
            p.payload().release();
        }
    }
}
