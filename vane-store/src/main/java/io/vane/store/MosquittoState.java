package io.vane.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.routing.TopicMatcher;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.Topics;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link MosquittoDb.Contents} means in Vane's terms: retained messages and persistent sessions
 * with their subscriptions, queued and in-flight messages and inbound QoS 2 packet ids, as Mosquitto would
 * have restored them; plus,
 * per kind of thing that does not come across, how many and why (one log line each).
 */
final class MosquittoState {
    private static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    final List<Message> retained = new ArrayList<>();
    final List<StoredSession> sessions = new ArrayList<>();
    /** Inbound QoS 2 messages that were delivered by the import, as their PUBREL would have. */
    int released;
    /** Why something was left out -> how many times. */
    final Map<String, Integer> leftOut = new LinkedHashMap<>();

    private MosquittoState() {
    }

    /**
     * @param nowMillis the wall clock: messages and sessions whose expiry passed are left out, as Mosquitto
     *     would on its own restart
     * @param savedAtMillis when the file was written (its mtime): when sessions that never expire went away
     */
    static MosquittoState of(MosquittoDb.Contents db, long nowMillis, long savedAtMillis) {
        MosquittoState s = new MosquittoState();
        s.translate(db, nowMillis, savedAtMillis);
        return s;
    }

    private void count(String why) {
        leftOut.merge(why, 1, Integer::sum);
    }

    private void translate(MosquittoDb.Contents db, long nowMillis, long savedAtMillis) {
        db.unknownChunks().forEach((type, n) -> leftOut.merge("chunks of type " + Integer.toUnsignedString(type)
                + " that Vane does not know (skipped by their length)", n, Integer::sum));
        db.unreadable().forEach(u -> count("records with text that is not UTF-8"));
        Map<Long, Message> messages = new LinkedHashMap<>();
        for (MosquittoDb.BaseMsg m : db.messages().values()) {
            Message message = message(m, nowMillis);
            if (message != null) {
                messages.put(m.storeId(), message);
            }
        }
        Set<String> seenTopics = new HashSet<>();
        for (long id : db.retained()) {
            Message m = messages.get(id);
            if (m == null) {
                count("retained entries whose message is expired or missing (Mosquitto drops them too)");
            } else if (m.topic().startsWith("$")) {
                count("retained $ topics (the broker makes its own)");
            } else if (seenTopics.add(m.topic())) {
                retained.add(m.withRetain(true));
            }
        }
        Map<String, Parts> parts = new LinkedHashMap<>();
        List<MosquittoDb.ClientMsg> held = new ArrayList<>();
        for (MosquittoDb.Client c : db.clients()) {
            String invalid = clientIdProblem(c.clientId());
            if (invalid != null) {
                count("sessions with a client id Vane refuses (" + invalid + ")");
            } else if (c.sessionExpiryInterval() == 0) {
                count("sessions with Session Expiry 0 (they end when their connection does)");
            } else if (c.sessionExpiryInterval() != NEVER_EXPIRES && c.sessionExpiryTime() > 0
                    && c.sessionExpiryTime() * 1000 <= nowMillis) {
                count("sessions whose expiry has passed");
            } else if (!parts.containsKey(c.clientId())) {
                long disconnected = c.sessionExpiryInterval() != NEVER_EXPIRES && c.sessionExpiryTime() > 0
                        ? (c.sessionExpiryTime() - c.sessionExpiryInterval()) * 1000 : savedAtMillis;
                Parts added = new Parts(c.sessionExpiryInterval(), disconnected);
                added.username = c.username();
                parts.put(c.clientId(), added);
            }
        }
        for (MosquittoDb.Sub sub : db.subs()) {
            Parts p = parts.get(sub.clientId());
            SubscriptionRecord r = subscription(sub);
            if (p == null) {
                count("subscriptions of sessions that are not imported");
            } else if (r == null) {
                count("subscriptions with a filter Vane refuses");
            } else {
                p.subscriptions.put(r.filter(), r);
            }
        }
        for (MosquittoDb.ClientMsg cm : db.clientMsgs()) {
            Parts p = parts.get(cm.clientId());
            Message m = messages.get(cm.storeId());
            if (p == null) {
                count("client messages of sessions that are not imported");
            } else if (m == null) {
                count("client messages whose message is expired or missing (Mosquitto drops them too)");
            } else if (cm.qos() > 2) {
                count("client messages at a QoS above 2");
            } else if (!cm.outgoing()) {
                held.add(cm);
            } else {
                p.add(cm, m, this);
            }
        }
        for (MosquittoDb.ClientMsg cm : held) {
            release(cm, messages.get(cm.storeId()), parts);
        }
        // Mosquitto keeps the user name, not the listener: the session's deliveries are authorized for that
        // user under the global (or first listener's) rules until its client comes back.
        parts.forEach((client, p) -> sessions.add(new StoredSession(client, p.expiry, p.disconnected,
                List.copyOf(p.subscriptions.values()), p.queued, p.inflight, List.copyOf(p.inboundQos2), null, 0,
                p.username, 0)));
    }

    /**
     * An inbound QoS 2 message Mosquitto answered with PUBREC and holds until PUBREL: Mosquitto delivers it
     * only then. Vane delivers at PUBLISH and keeps just the packet id, so the import does now what the
     * PUBREL would have done: the message goes to every imported session it matches (after what they have
     * queued) and becomes the topic's retained message if it was retained; the publisher's session keeps the
     * packet id, so its PUBREL gets PUBCOMP and a resent PUBLISH is not delivered twice [MQTT-4.3.3].
     */
    private void release(MosquittoDb.ClientMsg cm, Message m, Map<String, Parts> parts) {
        if (cm.state() != MosquittoDb.WAIT_FOR_PUBREL && cm.state() != MosquittoDb.SEND_PUBREC || cm.qos() != 2
                || cm.mid() == 0) {
            count("inbound messages in state " + cm.state() + " at QoS " + cm.qos() + ", which Mosquitto does not hold");
            return;
        }
        Parts publisher = parts.get(cm.clientId());
        if (!publisher.inboundQos2.add(cm.mid())) {
            count("inbound QoS 2 messages with a packet id used twice");
            return;
        }
        if (m.retain() && !m.topic().startsWith("$")) {
            retained.removeIf(r -> r.topic().equals(m.topic())); // an empty payload clears it [MQTT-3.3.1-6]
            if (m.payload().length > 0) {
                retained.add(m);
            }
        }
        parts.forEach((client, p) -> p.deliver(client, m));
        released++;
    }

    private static String clientIdProblem(String clientId) {
        for (int i = 0; i < clientId.length(); i++) {
            if (Topics.isControl(clientId.charAt(i))) {
                return "a control character";
            }
        }
        return null;
    }

    /** The message as Vane keeps it, or null when it has expired or its properties cannot be read. */
    private Message message(MosquittoDb.BaseMsg m, long nowMillis) {
        long expiresAt = m.expiryTime() > 0 ? m.expiryTime() * 1000 : Message.NEVER;
        if (expiresAt <= nowMillis) {
            return null; // counted where it is referred to
        }
        if (Topics.validateTopicName(m.topic()) != null) {
            count("messages with a topic Vane refuses");
            return null;
        }
        Properties props = Properties.NONE;
        if (m.properties().length > 0) {
            props = decodeProperties(m);
            if (props == null) {
                count("messages whose MQTT 5.0 properties cannot be read");
                return null;
            }
        }
        return new Message(m.topic(), m.payload(), m.qos(), m.retain(), props, expiresAt, m.sourceId());
    }

    /**
     * The properties are a PUBLISH's, as on the wire; Vane's own decoder reads them inside a PUBLISH made
     * around them, so every rule it applies to a client's PUBLISH applies here too.
     */
    private static Properties decodeProperties(MosquittoDb.BaseMsg m) {
        byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + topic.length + (m.qos() > 0 ? 2 : 0) + m.properties().length;
        ByteBuf packet = Unpooled.buffer(5 + remaining);
        packet.writeByte(0x30 | m.qos() << 1);
        for (int v = remaining; ; ) {
            int digit = v & 0x7F;
            v >>>= 7;
            packet.writeByte(v > 0 ? digit | 0x80 : digit);
            if (v == 0) {
                break;
            }
        }
        packet.writeShort(topic.length).writeBytes(topic);
        if (m.qos() > 0) {
            packet.writeShort(1);
        }
        packet.writeBytes(m.properties());
        MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
        decoder.setVersion(MqttVersion.V5);
        DecodeResult r = decoder.decode(packet);
        packet.release();
        if (!(r instanceof Publish p)) {
            return null;
        }
        p.payload().release();
        Properties props = p.properties();
        // Expiry is the record's expiry time; aliases and subscription ids belong to one delivery only.
        return props.messageExpiryInterval() == null && props.topicAlias() == null
                && props.subscriptionIdentifiers().isEmpty() ? props
                : props.toBuilder().messageExpiryInterval(null).topicAlias(null).clearSubscriptionIdentifiers().build();
    }

    /** Mosquitto keeps QoS apart and No Local (bit 2) and Retain As Published (bit 3) in the options. */
    private static SubscriptionRecord subscription(MosquittoDb.Sub s) {
        String filter = s.filter();
        String topicFilter = filter;
        String group = null;
        if (Topics.isShared(filter)) {
            Topics.SharedFilter shared = Topics.parseShared(filter);
            if (shared == null) {
                return null;
            }
            group = shared.group();
            topicFilter = shared.filter();
        }
        if (Topics.validateTopicFilter(topicFilter) != null || (s.qos() & 0x03) == 3) {
            return null;
        }
        int options = s.options() | s.qos();
        return new SubscriptionRecord(filter, topicFilter, group, options & 0x03, (options & 0x04) != 0,
                (options & 0x08) != 0, (options >> 4) & 0x03, s.identifier());
    }

    /** One session's parts while they are gathered. */
    private static final class Parts {
        final long expiry;
        final long disconnected;
        final Map<String, SubscriptionRecord> subscriptions = new LinkedHashMap<>();
        final List<Outgoing> queued = new ArrayList<>();
        final List<StoredSession.InflightEntry> inflight = new ArrayList<>();
        final Set<Integer> packetIds = new HashSet<>();
        final Set<Integer> inboundQos2 = new java.util.LinkedHashSet<>();

        String username;

        Parts(long expiry, long disconnected) {
            this.expiry = expiry;
            this.disconnected = disconnected;
        }

        /**
         * Queues {@code m} as routing would: once per session, at the highest QoS of the matching
         * subscriptions, with all their identifiers; not back to its publisher through a No Local one.
         */
        void deliver(String client, Message m) {
            int qos = -1;
            boolean retain = false;
            List<Integer> ids = new ArrayList<>();
            for (SubscriptionRecord r : subscriptions.values()) {
                if (r.isShared() || !TopicMatcher.matches(r.topicFilter(), m.topic())
                        || r.noLocal() && client.equals(m.publisherId())) {
                    continue;
                }
                qos = Math.max(qos, Math.min(r.qos(), m.qos()));
                retain |= r.retainAsPublished() && m.retain();
                if (r.subscriptionId() > 0) {
                    ids.add(r.subscriptionId());
                }
            }
            if (qos >= 0) {
                queued.add(new Outgoing(m, qos, retain, ids.stream().mapToInt(Integer::intValue).toArray()));
            }
        }

        /**
         * Mosquitto writes a session's in-flight list before its queue, each in order. A message waiting for
         * PUBACK or PUBREC is in flight with its packet id; one whose PUBREC came is released (PUBREL is
         * resent); one not sent yet joins the queue, in order.
         */
        void add(MosquittoDb.ClientMsg cm, Message m, MosquittoState into) {
            int[] ids = cm.subscriptionId() > 0 ? new int[] {cm.subscriptionId()} : new int[0];
            int qos = cm.qos();
            Outgoing out = new Outgoing(m, qos, cm.retain(), ids);
            switch (cm.state()) {
                case MosquittoDb.QUEUED, MosquittoDb.PUBLISH_QOS0, MosquittoDb.PUBLISH_QOS1, MosquittoDb.PUBLISH_QOS2 ->
                        queued.add(out);
                case MosquittoDb.WAIT_FOR_PUBACK, MosquittoDb.WAIT_FOR_PUBREC, MosquittoDb.RESEND_PUBREL,
                        MosquittoDb.WAIT_FOR_PUBCOMP -> {
                    boolean released = cm.state() == MosquittoDb.RESEND_PUBREL
                            || cm.state() == MosquittoDb.WAIT_FOR_PUBCOMP;
                    if (qos == 0 || cm.mid() == 0 || !packetIds.add(cm.mid())) {
                        into.count("in-flight messages with a packet id that is missing or used twice");
                    } else {
                        inflight.add(new StoredSession.InflightEntry(cm.mid(), out, released));
                    }
                }
                default -> into.count("outgoing messages in state " + cm.state() + ", which an outgoing message"
                        + " never has");
            }
        }
    }
}
