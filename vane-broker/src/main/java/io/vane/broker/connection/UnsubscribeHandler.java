package io.vane.broker.connection;

import io.vane.broker.security.ClientText;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.UnsubAck;
import io.vane.protocol.packet.Unsubscribe;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** UNSUBSCRIBE (3.1.1 section 3.10, 5.0 section 3.10): stop routing, answer UNSUBACK [MQTT-3.10.4-4]. */
final class UnsubscribeHandler {
    private static final Logger LOG = LoggerFactory.getLogger("vane.unsubscribe");

    private UnsubscribeHandler() {
    }

    static void handle(ClientConnection c, Unsubscribe p) {
        List<Integer> codes = new ArrayList<>(p.filters().size());
        for (String filter : p.filters()) {
            String invalid = invalidFilter(filter);
            if (invalid != null) {
                // As for SUBSCRIBE: not a topic filter, so a malformed packet [MQTT-4.7.1-1], [MQTT-4.7.3-1].
                LOG.info("{} unsubscription string from {}, disconnecting ({}).", filter.isEmpty() ? "Empty" : "Invalid",
                        c.clientId, ClientText.forLog(invalid));
                c.endLogged = true;
                c.disconnect(ReasonCode.MALFORMED_PACKET, invalid);
                return;
            }
            SubscriptionRecord removed = c.ctx.subscriptions().remove(c.session, filter);
            if (removed != null) {
                codes.add(ReasonCode.SUCCESS);
            } else {
                codes.add(ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
            LOG.info("{} {}", c.clientId, ClientText.forLog(filter));
        }
        c.acks.then(c.session.journalFlushed(), done -> c.channel.write(new UnsubAck(p.packetId(), codes,
                Properties.NONE)));
    }

    private static String invalidFilter(String filter) {
        if (!io.vane.protocol.Topics.isShared(filter)) {
            return io.vane.protocol.Topics.validateTopicFilter(filter);
        }
        io.vane.protocol.Topics.SharedFilter shared = io.vane.protocol.Topics.parseShared(filter);
        return shared == null ? "invalid shared subscription [MQTT-4.8.2-1]"
                : io.vane.protocol.Topics.validateTopicFilter(shared.filter());
    }
}
