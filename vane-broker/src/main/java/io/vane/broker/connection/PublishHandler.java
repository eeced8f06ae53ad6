package io.vane.broker.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vane.broker.BrokerSettings;
import io.vane.broker.Message;
import io.vane.broker.PublishOutcome;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.Topics;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.Publish;
import java.util.concurrent.CompletionStage;

/** PUBLISH from the client (3.1.1 section 3.3, 5.0 section 3.3): check, acknowledge, route. */
final class PublishHandler {
    private PublishHandler() {
    }

    /**
     * The payload stays in the decoder's buffer through every check and is copied (or, when the decoder
     * already copied it, taken) only once the message is accepted; it is released on every path.
     */
    static void handle(ClientConnection c, Publish p) {
        try {
            accept(c, p);
        } finally {
            p.payload().release();
        }
    }

    private static void accept(ClientConnection c, Publish p) {
        int payloadLength = p.payload().readableBytes();
        boolean v5 = c.version == MqttVersion.V5;
        BrokerSettings settings = c.ctx.settings();
        c.ctx.stats().countPublishReceived();

        String topic = v5 ? resolveAlias(c, p) : p.topic();
        if (topic == null) {
            return;
        }
        String tooDeep = Topics.checkLevels(topic, settings.maxTopicLevels());
        if (tooDeep != null) {
            // Mosquitto disconnects for a topic past TOPIC_HIERARCHY_LIMIT; 5.0 learns why (0x90).
            c.endLogged = true;
            ClientConnection.LOG.info("Client {} sent PUBLISH to a topic of {}; disconnecting.", c.clientId, tooDeep);
            c.disconnect(ReasonCode.TOPIC_NAME_INVALID, tooDeep);
            return;
        }
        if (v5 && p.qos() > settings.maxQos()) {
            c.endLogged = true;
            ClientConnection.LOG.info("Client {} sent QoS {} above maximum QoS {}; disconnecting.", c.clientId,
                    p.qos(), settings.maxQos());
            c.disconnect(ReasonCode.QOS_NOT_SUPPORTED, "QoS not supported"); // [MQTT-3.2.2-11]
            return;
        }
        if (v5 && p.retain() && !settings.retainAvailable()) {
            c.endLogged = true;
            c.disconnect(ReasonCode.RETAIN_NOT_SUPPORTED, "retain not supported"); // [MQTT-3.2.2-14]
            return;
        }
        if (ClientConnection.LOG.isDebugEnabled()) {
            ClientConnection.LOG.debug("Received PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))",
                    c.clientId, p.dup() ? 1 : 0, p.qos(), p.retain() ? 1 : 0, p.packetId(), topic, payloadLength);
        }
        if (p.qos() == 2 && !c.session.beginInboundQos2(p.packetId())) {
            // A resend of a QoS 2 message already routed: acknowledge again, route nothing [MQTT-4.3.3-10].
            c.acks.inTurn(() -> c.channel.write(new PubRec(p.packetId())));
            return;
        }
        if (p.qos() == 2 && v5 && c.session.inboundQos2Count() > ConnectHandler.inboundReceiveMaximum(settings)) {
            c.endLogged = true;
            ClientConnection.LOG.info("Client {} exceeded the receive maximum; disconnecting.", c.clientId);
            c.disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded"); // [MQTT-3.3.4-9]
            return;
        }
        if (settings.messageSizeLimit() > 0 && payloadLength > settings.messageSizeLimit()) {
            ClientConnection.LOG.info("Dropped too large PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))",
                    c.clientId, p.dup() ? 1 : 0, p.qos(), p.retain() ? 1 : 0, p.packetId(), topic, payloadLength);
            c.acks.inTurn(() -> acknowledge(c, p, ReasonCode.PACKET_TOO_LARGE, "payload larger than message_size_limit"));
            return;
        }
        if (!c.ctx.authorizer().canPublish(c.identity, topic)) {
            ClientConnection.LOG.info("Denied PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))",
                    c.clientId, p.dup() ? 1 : 0, p.qos(), p.retain() ? 1 : 0, p.packetId(), topic, payloadLength);
            // 3.1.1 has no way to say no: acknowledge and drop, as Mosquitto does; 5.0 says 0x87.
            c.acks.inTurn(() -> acknowledge(c, p, ReasonCode.NOT_AUTHORIZED,
                    "not authorized to publish to '" + topic + "'"));
            return;
        }
        Message message = toMessage(c, p, topic, bytesOf(p.payload()));
        CompletionStage<PublishOutcome> routed = v5
                ? c.ctx.paths().routeOnce(p.properties(), () -> c.ctx.publisher().publish(message))
                : c.ctx.publisher().publish(message);
        if (routed == null) {
            // Came back round a ring of bridges, or by a second route (its vane-via path): taken, not routed.
            ClientConnection.LOG.debug("Dropped PUBLISH from {} to '{}': it has passed this broker already.",
                    c.clientId, topic);
            c.acks.inTurn(() -> acknowledge(c, p, ReasonCode.SUCCESS, null));
            return;
        }
        if (p.qos() == 0) {
            waitIfCongested(c);
            return;
        }
        // PUBACK / PUBREC only once the broker has made the message safe, in packet order.
        waitIfCongested(c);
        c.acks.then(routed, outcome -> {
            if (!outcome.isStored()) {
                notStored(c, p, topic, outcome.notStoredBecause());
            } else {
                acknowledge(c, p, outcome.delivered() == 0 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS,
                        null);
            }
        });
    }

    /**
     * The store could not write the message (disk full, read-only): it is not acknowledged as taken. 5.0
     * hears why (0x80); 3.1.1 has no negative acknowledgement, so nothing is sent and the client sends it
     * again when it reconnects.
     */
    private static void notStored(ClientConnection c, Publish p, String topic, String why) {
        ClientConnection.LOG.warn("Could not store PUBLISH from {} (q{}, m{}, '{}'): {}; not acknowledged.",
                c.clientId, p.qos(), p.packetId(), topic, why);
        if (c.version == MqttVersion.V5) {
            acknowledge(c, p, ReasonCode.UNSPECIFIED_ERROR, "the broker cannot store the message now");
        }
    }

    /** PUBACK or PUBREC as the QoS asks; 3.1.1 carries no reason code so it reads as success. */
    private static void acknowledge(ClientConnection c, Publish p, int reason, String why) {
        int code = c.version == MqttVersion.V5 ? reason : ReasonCode.SUCCESS;
        Properties props = why == null ? Properties.NONE : c.reason(why);
        if (p.qos() == 1) {
            c.channel.write(code == 0 ? new PubAck(p.packetId()) : new PubAck(p.packetId(), code, props));
        } else if (p.qos() == 2) {
            if (ReasonCode.isError(code)) {
                // A refused QoS 2 message ends its flow here, so the id is free again [MQTT-4.3.3-?].
                c.session.releaseInboundQos2(p.packetId());
            }
            c.channel.write(code == 0 ? new PubRec(p.packetId()) : new PubRec(p.packetId(), code, props));
        }
    }

    /** The topic name, after applying a 5.0 Topic Alias (section 3.3.2.3.4); null when the connection ended. */
    private static String resolveAlias(ClientConnection c, Publish p) {
        Integer alias = p.properties().topicAlias();
        if (alias == null) {
            return p.topic();
        }
        int max = c.ctx.settings().maxTopicAlias();
        if (alias == 0 || alias > max) {
            c.endLogged = true;
            ClientConnection.LOG.info("Client {} sent topic alias {} outside 1..{}; disconnecting.", c.clientId,
                    alias, max);
            c.disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias out of range"); // [MQTT-3.3.2-9]
            return null;
        }
        if (!p.topic().isEmpty()) {
            c.inboundAliases.put(alias, p.topic());
            return p.topic();
        }
        String topic = c.inboundAliases.get(alias);
        if (topic == null) {
            c.endLogged = true;
            ClientConnection.LOG.info("Client {} used topic alias {} before setting it; disconnecting.", c.clientId,
                    alias);
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "unknown topic alias");
            return null;
        }
        return topic;
    }

    /** The publish just routed reached a congested subscriber: this client stops reading (decision 0002). */
    private static void waitIfCongested(ClientConnection c) {
        io.vane.broker.session.Session full = io.vane.broker.routing.Router.takeCongested();
        if (full != null) {
            c.waitFor(full);
        }
    }

    private static Message toMessage(ClientConnection c, Publish p, String topic, byte[] payload) {
        Properties props = p.properties();
        long expiresAt = Message.NEVER;
        if (c.version == MqttVersion.V5 && !props.isEmpty()) {
            if (props.messageExpiryInterval() != null) {
                expiresAt = c.ctx.clock().getAsLong() + props.messageExpiryInterval() * 1000L;
            }
            if (props.topicAlias() != null || props.messageExpiryInterval() != null
                    || !props.subscriptionIdentifiers().isEmpty()) {
                props = props.toBuilder().topicAlias(null).messageExpiryInterval(null)
                        .clearSubscriptionIdentifiers().build();
            }
        } else {
            props = Properties.NONE;
        }
        return new Message(topic, payload, p.qos(), p.retain(), props, expiresAt, c.clientId);
    }

    private static byte[] bytesOf(ByteBuf buf) {
        // The decoder hands over a heap buffer wrapping exactly the payload: take its array, copy nothing.
        if (buf.hasArray() && buf.arrayOffset() == 0 && buf.readerIndex() == 0
                && buf.readableBytes() == buf.array().length) {
            return buf.array();
        }
        return ByteBufUtil.getBytes(buf);
    }
}
