package io.vane.broker.connection;

import io.vane.broker.BrokerContext;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.routing.Router;
import io.vane.broker.security.ClientText;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.Topics;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE (3.1.1 section 3.8, 5.0 section 3.8): validate and grant each filter, answer SUBACK,
 * then send the retained messages the subscription asks for.
 *
 * <p>Decision (docs/decisions/0003-subscribe-denied.md): a filter the client may not subscribe to gets
 * a failure code (0x80 on 3.1.1, 0x87 on 5.0) instead of Mosquitto's silent grant.
 */
final class SubscribeHandler {
    private static final Logger LOG = LoggerFactory.getLogger("vane.subscribe");

    private SubscribeHandler() {
    }

    static void handle(ClientConnection c, Subscribe p) {
        BrokerContext ctx = c.ctx;
        boolean v5 = c.version == MqttVersion.V5;
        List<Integer> subIds = p.properties().subscriptionIdentifiers();
        int subscriptionId = subIds.isEmpty() ? 0 : subIds.get(0);
        List<Integer> codes = new ArrayList<>(p.subscriptions().size());
        List<Outgoing> retained = new ArrayList<>();
        for (Subscription s : p.subscriptions()) {
            String filter = s.filter();
            String topicFilter = filter;
            String group = null;
            String invalid;
            if (Topics.isShared(filter)) {
                Topics.SharedFilter shared = Topics.parseShared(filter);
                invalid = shared == null ? "invalid shared subscription [MQTT-4.8.2-1]" : null;
                if (shared != null) {
                    group = shared.group();
                    topicFilter = shared.filter();
                    invalid = Topics.validateTopicFilter(topicFilter);
                }
                if (invalid == null && s.noLocal()) {
                    ClientConnection.LOG.info("Client {} set No Local on shared subscription '{}'; disconnecting.",
                            c.clientId, ClientText.forLog(filter));
                    c.endLogged = true;
                    c.disconnect(ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription"); // [MQTT-3.8.3-4]
                    return;
                }
            } else {
                invalid = Topics.validateTopicFilter(filter);
            }
            if (invalid != null) {
                // Not a topic filter at all [MQTT-4.7.1-1], [MQTT-4.7.3-1]: a malformed packet, closed as
                // Mosquitto closes it (5.0 hears 0x81 first), in Mosquitto's words.
                ClientConnection.LOG.info("{} subscription string from {}, disconnecting ({}).",
                        filter.isEmpty() ? "Empty" : "Invalid", c.clientId, ClientText.forLog(invalid));
                c.endLogged = true;
                c.disconnect(ReasonCode.MALFORMED_PACKET, invalid);
                return;
            }
            String tooDeep = Topics.checkLevels(topicFilter, ctx.settings().maxTopicLevels());
            if (tooDeep != null) {
                // Well formed, but past this broker's limit (decision 0006): 5.0 is refused in the SUBACK
                // and keeps its connection; 3.1.1 has no code for it and is disconnected, as by Mosquitto.
                ClientConnection.LOG.info("Client {} sent topic filter '{}' with {}{}.", c.clientId,
                        ClientText.forLog(filter), tooDeep, v5 ? "" : "; disconnecting");
                if (!v5) {
                    c.endLogged = true;
                    c.disconnect(ReasonCode.TOPIC_FILTER_INVALID, tooDeep);
                    return;
                }
                codes.add(ReasonCode.TOPIC_FILTER_INVALID);
                continue;
            }
            if (!ctx.authorizer().canSubscribe(c.identity, topicFilter)) {
                ClientConnection.LOG.info("Denied SUBSCRIBE from {} to '{}'.", c.clientId, ClientText.forLog(filter));
                codes.add(v5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.V3_SUBACK_FAILURE);
                continue;
            }
            int granted = Math.min(s.qos(), ctx.settings().maxQos());
            // A 3.x bridge cannot say No Local / Retain As Published; its mark asks for both (Mosquitto).
            boolean asBridge = c.bridge && group == null;
            SubscriptionRecord record = new SubscriptionRecord(filter, topicFilter, group, granted,
                    s.noLocal() || asBridge, s.retainAsPublished() || asBridge, v5 ? s.retainHandling() : 0,
                    subscriptionId);
            SubscriptionRecord previous = ctx.subscriptions().add(c.session, record);
            codes.add(granted);
            LOG.info("{} {} {}", c.clientId, granted, ClientText.forLog(filter));
            // Retained messages: not for shared subscriptions [MQTT-3.8.4-?]; Retain Handling 1 only if new.
            int rh = record.retainHandling();
            if (group == null && (rh == 0 || (rh == 1 && previous == null))) {
                collectRetained(c, record, retained);
            }
        }
        boolean refused = codes.stream().anyMatch(ReasonCode::isError);
        Session session = c.session;
        // SUBACK once the subscriptions are safe, in packet order with the PUBACKs; retained messages after it.
        c.acks.then(session.journalFlushed(), done -> {
            c.channel.write(new SubAck(p.packetId(), codes,
                    refused ? c.reason("one or more topic filters were refused") : Properties.NONE));
            if (!retained.isEmpty()) {
                session.execute(() -> session.deliverRetained(retained));
            }
        });
    }

    private static void collectRetained(ClientConnection c, SubscriptionRecord record, List<Outgoing> into) {
        int[] ids = record.subscriptionId() > 0 ? new int[] {record.subscriptionId()} : new int[0];
        c.ctx.retained().match(record.topicFilter(), (topic, m) -> {
            if (c.ctx.authorizer().canRead(c.identity, topic)) {
                // Sent with RETAIN set whatever Retain As Published says [MQTT-3.3.1-8].
                // upgrade_outgoing_qos applies to them too, as in Mosquitto.
                int qos = io.vane.broker.routing.Router.deliveredQos(record.qos(), m.qos(),
                        c.ctx.settings().upgradeOutgoingQos());
                into.add(new Outgoing(m, qos, true, ids));
            }
        });
    }
}
