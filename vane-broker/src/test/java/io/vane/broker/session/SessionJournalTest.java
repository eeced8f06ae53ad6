package io.vane.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.SessionJournal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every change to a session passes through its journal: a mirror that knows nothing but the journal's
 * calls rebuilds the same state as the session after each of thousands of random operations. This is
 * what a durable journal relies on to restore a session from its records.
 */
class SessionJournalTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    /** State rebuilt from journal calls alone. */
    private static final class Mirror implements SessionJournal {
        final Map<String, SubscriptionRecord> subscriptions = new HashMap<>();
        final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
        final LinkedHashMap<Integer, Boolean> inflight = new LinkedHashMap<>();
        final Set<Integer> inbound = new HashSet<>();
        int cleared;
        int ended;

        @Override
        public void subscribed(Session s, SubscriptionRecord sub) {
            subscriptions.put(sub.filter(), sub);
        }

        @Override
        public void unsubscribed(Session s, String filter) {
            assertThat(subscriptions.remove(filter)).as("unsubscribed a filter it had").isNotNull();
        }

        @Override
        public void queued(Session s, Outgoing m) {
            queue.add(m);
        }

        @Override
        public void dequeued(Session s, Outgoing m) {
            assertThat(queue.remove(m)).as("dequeued a message it had").isTrue();
        }

        @Override
        public void inflight(Session s, int packetId, Outgoing m) {
            assertThat(inflight.put(packetId, false)).as("packet id %s reused while in flight", packetId).isNull();
        }

        @Override
        public void released(Session s, int packetId) {
            assertThat(inflight.put(packetId, true)).isFalse();
        }

        @Override
        public void completed(Session s, int packetId) {
            assertThat(inflight.remove(packetId)).isNotNull();
        }

        @Override
        public void inboundQos2(Session s, int packetId) {
            assertThat(inbound.add(packetId)).isTrue();
        }

        @Override
        public void inboundQos2Released(Session s, int packetId) {
            assertThat(inbound.remove(packetId)).isTrue();
        }

        @Override
        public void cleared(Session s) {
            subscriptions.clear();
            queue.clear();
            inflight.clear();
            inbound.clear();
            cleared++;
        }

        @Override
        public void ended(Session s) {
            ended++;
        }
    }

    /** A connection that takes what it is sent and remembers the packet ids in flight. */
    private static final class Link implements SessionLink {
        final int window;
        final int maxPayload;
        boolean writable = true;
        final TreeSet<Integer> unacked = new TreeSet<>();

        Link(int window, int maxPayload) {
            this.window = window;
            this.maxPayload = maxPayload;
        }

        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            if (out.message().payload().length > maxPayload) {
                return false;
            }
            if (packetId != 0) {
                unacked.add(packetId);
            }
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public int sendWindow() {
            return window;
        }

        @Override
        public EncodingKey encodingKey() {
            return null;
        }

        @Override
        public void takenOver() {
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
        }
    }

    private static void assertSame(Session s, Mirror m) {
        assertThat(m.subscriptions.keySet()).containsExactlyInAnyOrderElementsOf(
                s.subscriptions().stream().map(SubscriptionRecord::filter).toList());
        assertThat(m.queue).hasSize(s.queuedCount());
        Map<Integer, Boolean> actual = new LinkedHashMap<>();
        for (Inflight f : s.inflightInOrder()) {
            actual.put(f.packetId(), f.released());
        }
        assertThat(m.inflight).containsExactlyEntriesOf(actual);
        assertThat(m.inbound).isEqualTo(s.inboundQos2Ids());
    }

    @Test
    void aMirrorOfTheJournalEqualsTheSessionAfterEveryOperation() {
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            Mirror mirror = new Mirror();
            Session s = new Session("c" + run, ImmediateEventExecutor.INSTANCE, new QueueLimits(8, 2_000, true),
                    new BrokerStats(), now::get, mirror);
            Link link = null;
            List<Integer> acked = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                int op = random.nextInt(14);
                switch (op) {
                    case 0, 1, 2 -> {
                        int qos = random.nextInt(3);
                        int size = random.nextInt(10) == 0 ? 500 : 20;
                        long expiresAt = random.nextInt(8) == 0 ? now.get() + 1_000 : Message.NEVER;
                        Message msg = new Message("t/" + step, new byte[size], qos, false,
                                io.vane.protocol.Properties.NONE, expiresAt, "p");
                        s.deliver(Outgoing.of(msg, qos, false));
                    }
                    case 3 -> {
                        if (link == null) {
                            link = new Link(1 + random.nextInt(4), random.nextBoolean() ? 1_000 : 100);
                            s.attach(link);
                        }
                    }
                    case 4 -> {
                        if (link != null) {
                            s.detach(link);
                            link.unacked.clear();
                            link = null;
                        }
                    }
                    case 5, 6 -> {
                        if (link != null && !link.unacked.isEmpty()) {
                            int id = link.unacked.first();
                            link.unacked.remove(id);
                            // The client answers by the QoS it got: PUBACK, or PUBREC then PUBCOMP.
                            if (!s.acknowledge(id) && s.received(id)) {
                                acked.add(id);
                            }
                        }
                    }
                    case 7 -> {
                        if (!acked.isEmpty()) {
                            s.completed(acked.remove(0));
                        }
                    }
                    case 8 -> {
                        if (link != null && !link.unacked.isEmpty()) {
                            int id = link.unacked.pollLast();
                            s.refused(id);
                        }
                    }
                    case 9 -> s.putSubscription(new SubscriptionRecord("f/" + random.nextInt(5), "f/x", null,
                            random.nextInt(3), false, false, 0, 0));
                    case 10 -> s.removeSubscription("f/" + random.nextInt(5));
                    case 11 -> {
                        int id = 1 + random.nextInt(6);
                        if (random.nextBoolean()) {
                            s.beginInboundQos2(id);
                        } else {
                            s.releaseInboundQos2(id);
                        }
                    }
                    case 12 -> {
                        now.addAndGet(1_500);
                        s.purgeExpired();
                        s.drain();
                    }
                    case 13 -> {
                        if (random.nextInt(50) == 0) {
                            s.clear();
                            link = null;
                            acked.clear();
                        } else if (link != null) {
                            link.writable = !link.writable;
                            s.drain();
                        }
                    }
                    default -> throw new AssertionError(op);
                }
                assertSame(s, mirror);
            }
            s.end();
            assertSame(s, mirror);
            assertThat(mirror.ended).isEqualTo(1);
        }
    }

    @Test
    void aResendTooLargeForTheNewConnectionCompletesWithoutDisturbingTheOthers() {
        Mirror mirror = new Mirror();
        Session s = new Session("c", ImmediateEventExecutor.INSTANCE, new QueueLimits(100, 0, false),
                new BrokerStats(), now::get, mirror);
        Link big = new Link(10, 10_000);
        s.attach(big);
        for (int i = 0; i < 6; i++) {
            byte[] payload = (i % 2 == 0 ? "x".repeat(500) : "small").getBytes(StandardCharsets.UTF_8);
            s.deliver(Outgoing.of(Message.of("t/" + i, payload, 1, false), 1, false));
        }
        s.detach(big);
        // [MQTT-3.1.2-25]: a message too large for the new connection is treated as delivered. Three of
        // the six are, while the resend walks the window: the walk must not trip over its own removals.
        Link small = new Link(10, 100);
        s.attach(small);
        assertThat(s.inflightCount()).isEqualTo(3);
        assertThat(small.unacked).hasSize(3);
        assertSame(s, mirror);
    }
}
