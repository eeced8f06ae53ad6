package io.vane.broker.session;

import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.persistence.SessionJournal;
import io.vane.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Session state without sockets: in-flight window, queue limits, redelivery, expiry. */
class SessionTest {
    private final BrokerStats stats = new BrokerStats();
    private final AtomicLong now = new AtomicLong(1_000_000);

    /** Records what the session sends, like a connection would receive it. */
    private static final class RecordingLink implements SessionLink {
        final List<String> sent = new ArrayList<>();
        int window = 2;
        boolean writable = true;

        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            sent.add(out.message().topic() + " q" + out.qos() + " m" + packetId + (dup ? " dup" : ""));
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            sent.add("PUBREL m" + packetId);
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
            sent.add("TAKEN OVER");
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
            sent.add("DISCONNECT " + reasonCode);
        }
    }

    private Session session(int maxQueued) {
        return new Session("c1", ImmediateEventExecutor.INSTANCE, new QueueLimits(maxQueued, 0, false), stats,
                now::get, SessionJournal.IN_MEMORY);
    }

    private static Outgoing out(String topic, int qos) {
        return Outgoing.of(Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), qos, false), qos, false);
    }

    @Test
    void qos1BeyondTheInflightWindowWaitsForAnAck() {
        Session s = session(10);
        RecordingLink link = new RecordingLink();
        s.attach(link);
        s.deliver(out("a", 1));
        s.deliver(out("b", 1));
        s.deliver(out("c", 1));
        assertThat(link.sent).containsExactly("a q1 m1", "b q1 m2");
        assertThat(s.queuedCount()).isEqualTo(1);
        assertThat(s.acknowledge(1)).isTrue();
        assertThat(link.sent).containsExactly("a q1 m1", "b q1 m2", "c q1 m3");
    }

    @Test
    void theRetainedBurstWaitsForWritabilityAndLiveMessagesWaitBehindIt() {
        Session s = session(10);
        RecordingLink link = new RecordingLink();
        s.attach(link);
        link.writable = false;
        s.deliverRetained(List.of(out("r1", 0), out("r2", 0), out("r3", 1)));
        s.deliver(out("live0", 0));
        s.deliver(out("live1", 1));
        assertThat(link.sent).as("nothing fits the write buffer yet, and nothing is dropped").isEmpty();
        assertThat(stats.messagesDropped()).isZero();
        link.writable = true;
        s.drain();
        assertThat(link.sent).containsExactly("r1 q0 m0", "r2 q0 m0", "r3 q1 m1", "live0 q0 m0", "live1 q1 m2");
    }

    @Test
    void whatTheBurstDidNotSendIsQueuedAtDetachLikeAnyMessage() {
        Session s = session(10);
        RecordingLink link = new RecordingLink();
        s.attach(link);
        link.writable = false;
        s.deliverRetained(List.of(out("r0", 0), out("r1", 1)));
        s.detach(link);
        assertThat(s.queuedCount()).as("QoS 1 kept for the offline session, QoS 0 not").isEqualTo(1);
        RecordingLink next = new RecordingLink();
        s.attach(next);
        assertThat(next.sent).containsExactly("r1 q1 m1");
    }

    @Test
    void fullQueueDropsTheNewestAndCountsIt() {
        Session s = session(2);
        s.deliver(out("a", 1));
        s.deliver(out("b", 1));
        s.deliver(out("c", 1));
        assertThat(s.queuedCount()).isEqualTo(2);
        assertThat(stats.messagesDropped()).isEqualTo(1);
        assertThat(s.takeDroppedCount()).isEqualTo(1);
    }

    @Test
    void qos0IsNotQueuedForAnOfflineSessionByDefault() {
        Session s = session(10);
        s.deliver(out("a", 0));
        assertThat(s.queuedCount()).isZero();
    }

    @Test
    void qos0ToASlowReaderIsDroppedAndCounted() {
        Session s = session(10);
        RecordingLink link = new RecordingLink();
        link.writable = false;
        s.attach(link);
        s.deliver(out("a", 0));
        assertThat(link.sent).isEmpty();
        assertThat(stats.messagesDropped()).isEqualTo(1);
        assertThat(s.droppedTotal()).isEqualTo(1);
    }

    @Test
    void MQTT_4_4_0_1_unacknowledgedMessagesAreResentWithDupOnResume() {
        Session s = session(10);
        RecordingLink first = new RecordingLink();
        s.attach(first);
        s.deliver(out("a", 1));
        s.deliver(out("b", 2));
        assertThat(s.received(2)).isTrue();
        s.detach(first);
        RecordingLink second = new RecordingLink();
        s.attach(second);
        assertThat(second.sent).containsExactly("a q1 m1 dup", "PUBREL m2");
    }

    @Test
    void queuedMessagesAreSentInOrderOnResume() {
        Session s = session(10);
        for (String t : List.of("a", "b", "c")) {
            s.deliver(out(t, 1));
        }
        RecordingLink link = new RecordingLink();
        link.window = 10;
        s.attach(link);
        assertThat(link.sent).containsExactly("a q1 m1", "b q1 m2", "c q1 m3");
    }

    @Test
    void expiredQueuedMessagesAreNotSent() {
        Session s = session(10);
        Message m = new Message("x", new byte[1], 1, false, Properties.NONE, now.get() + 1000, null);
        s.deliver(Outgoing.of(m, 1, false));
        now.addAndGet(2000);
        RecordingLink link = new RecordingLink();
        s.attach(link);
        assertThat(link.sent).isEmpty();
        assertThat(stats.messagesExpired()).isEqualTo(1);
    }

    @Test
    void qos2FlowNeedsPubrecBeforePubcomp() {
        Session s = session(10);
        RecordingLink link = new RecordingLink();
        s.attach(link);
        s.deliver(out("a", 2));
        assertThat(s.completed(1)).isFalse();
        assertThat(s.received(1)).isTrue();
        assertThat(s.completed(1)).isTrue();
        assertThat(s.inflightCount()).isZero();
    }

    @Test
    void inboundQos2IdIsRoutedOnceUntilReleased() {
        Session s = session(10);
        assertThat(s.beginInboundQos2(7)).isTrue();
        assertThat(s.beginInboundQos2(7)).isFalse();
        assertThat(s.releaseInboundQos2(7)).isTrue();
        assertThat(s.beginInboundQos2(7)).isTrue();
    }

    @Test
    void packetIdsSkipThoseInFlight() {
        Session s = session(0);
        RecordingLink link = new RecordingLink();
        link.window = 65535;
        s.attach(link);
        for (int i = 0; i < 65535; i++) {
            s.deliver(out("t", 1));
        }
        s.acknowledge(3);
        s.deliver(out("u", 1));
        assertThat(link.sent.get(link.sent.size() - 1)).isEqualTo("u q1 m3");
    }
}
