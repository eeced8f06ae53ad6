package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.Poll;
import io.vane.testkit.RawClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * QoS 0 to a reader that keeps reading but is slower than its publisher: the publisher is slowed, nothing
 * is dropped (docs/decisions/0002). A reader that stops reading holds its publisher for the QoS 0 grace
 * only; then it alone loses messages and the others get everything.
 */
class Qos0PacingTest {
    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 1024;

    /** What one reader got: how many, how many out of order, and what ended its thread early, if anything. */
    private record Received(int count, int outOfOrder, Throwable error) {
    }

    /**
     * Publishes {@link #MESSAGES} numbered QoS 0 messages as fast as the broker reads them while
     * {@code reader} reads them, spinning {@code spinNanos} after each; waits until it has them all.
     */
    private static Received publishWhileReading(BrokerFixture broker, String topic, RawClient reader,
            long spinNanos) throws InterruptedException {
        AtomicInteger got = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                int expected = 0;
                while (!stop.get() && got.get() < MESSAGES) {
                    if (!(reader.read(Duration.ofMillis(200)) instanceof Publish p)) {
                        continue;
                    }
                    int n = p.payload().getInt(0);
                    p.payload().release();
                    if (n != expected) {
                        outOfOrder.incrementAndGet();
                    }
                    expected = n + 1;
                    got.incrementAndGet();
                    long until = System.nanoTime() + spinNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable e) {
                error.set(e);
            }
        }, "qos0-reader");
        t.setDaemon(true);
        t.start();
        try (RawClient pub = RawClient.open(broker)) {
            assertThat(pub.connect(MqttVersion.V3_1_1, "qos0-pub").reasonCode()).isZero();
            byte[] body = new byte[PAYLOAD];
            for (int i = 0; i < MESSAGES; i++) {
                ByteBuffer.wrap(body).putInt(0, i);
                // Blocks when the broker stops reading: the socket's buffers fill, as for any paced client.
                pub.send(new Publish(topic, 0, false, false, 0, Properties.NONE, Unpooled.wrappedBuffer(body)));
            }
        }
        Poll.until(Duration.ofSeconds(60), () -> got.get() == MESSAGES || error.get() != null);
        stop.set(true);
        t.join(5_000);
        return new Received(got.get(), outOfOrder.get(), error.get());
    }

    private static RawClient subscriber(BrokerFixture broker, String id, String topic, boolean slowSocket) {
        RawClient sub = slowSocket ? RawClient.openSlowReader(broker.host(), broker.port(), 16 * 1024)
                : RawClient.open(broker);
        assertThat(sub.connect(MqttVersion.V3_1_1, id).reasonCode()).isZero();
        sub.send(new Subscribe(1, List.of(Subscription.of(topic, 0)), Properties.NONE));
        assertThat(sub.read(Duration.ofSeconds(5))).isInstanceOf(SubAck.class);
        return sub;
    }

    @Test
    void aSlowReaderThatKeepsReadingGetsEveryQos0Message() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start();
                RawClient sub = subscriber(broker, "slow-qos0", "pace/q0", true)) {
            // ~20 MB at roughly 10 MB/s: slower than the publisher, which writes as fast as loopback allows.
            Received r = publishWhileReading(broker, "pace/q0", sub, 60_000);
            assertThat(r.error()).isNull();
            assertThat(r.count()).as("received %d of %d; dropped per $SYS: %d; publisher paused %d times", r.count(),
                    MESSAGES, broker.vane().broker().stats().messagesDropped(),
                    broker.vane().broker().stats().publishersPaused()).isEqualTo(MESSAGES);
            assertThat(r.outOfOrder()).isZero();
            assertThat(broker.vane().broker().stats().messagesDropped()).isZero();
            assertThat(broker.vane().broker().stats().publishersPaused()).as("the publisher was slowed").isPositive();
        }
    }

    @Test
    void aReaderThatStopsIsDroppedAfterItsGraceAndTheOthersGetEverything() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start();
                RawClient stuck = subscriber(broker, "stuck-qos0", "pace/q0s", true);
                RawClient healthy = subscriber(broker, "healthy-qos0", "pace/q0s", false)) {
            // The stuck one reads nothing; the publish loop must still end.
            Received r = publishWhileReading(broker, "pace/q0s", healthy, 0);
            assertThat(r.error()).isNull();
            assertThat(r.count()).as("healthy reader received %d of %d", r.count(), MESSAGES).isEqualTo(MESSAGES);
            assertThat(r.outOfOrder()).isZero();
            assertThat(broker.vane().broker().stats().messagesDropped()).as("dropped for the stuck one only")
                    .isPositive();
        }
    }
}
