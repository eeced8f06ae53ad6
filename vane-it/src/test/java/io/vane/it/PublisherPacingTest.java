package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.Poll;
import io.vane.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * A subscriber slower than its publisher loses nothing at QoS 1: the publisher is slowed instead
 * (docs/decisions/0002). One that takes nothing at all is given up on after slow_subscriber_timeout, so
 * it cannot hold the publisher (and everyone else it feeds) for ever.
 */
class PublisherPacingTest {
    private static final int MESSAGES = 20_000;

    private static MqttAsyncClient publisher(BrokerFixture broker) throws Exception {
        MqttAsyncClient pub = new MqttAsyncClient(broker.uri(), "pacing-pub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(200);
        pub.connect(o).waitForCompletion(10_000);
        return pub;
    }

    /** Publishes {@code n} numbered QoS 1 messages with up to 200 in flight; returns how many were acknowledged. */
    private static int publishAll(MqttAsyncClient pub, String topic, int n) throws Exception {
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(200);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                break;
            }
            pub.publish(topic, Integer.toString(i).getBytes(StandardCharsets.US_ASCII), 1, false, null,
                    new org.eclipse.paho.client.mqttv3.IMqttActionListener() {
                        @Override
                        public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken t) {
                            acked.incrementAndGet();
                            window.release();
                        }

                        @Override
                        public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken t, Throwable e) {
                            window.release();
                        }
                    });
        }
        window.tryAcquire(200, 30, TimeUnit.SECONDS);
        return acked.get();
    }

    @Test
    void aSlowSubscriberGetsEveryAcknowledgedMessage() throws Exception {
        // A small queue, so that a publisher at full speed overruns it within milliseconds.
        try (BrokerFixture broker = BrokerFixture.start(s -> s.toBuilder().maxQueuedMessages(100).build())) {
            Set<Integer> got = ConcurrentHashMap.newKeySet();
            MqttClient sub = new MqttClient(broker.uri(), "pacing-sub", new MemoryPersistence());
            sub.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    got.add(Integer.parseInt(new String(m.getPayload(), StandardCharsets.US_ASCII)));
                    // Pacing: this subscriber takes ~50 µs a message, slower than the publisher sends.
                    long until = System.nanoTime() + 50_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            sub.connect();
            sub.subscribe("pace/q1", 1);
            MqttAsyncClient pub = publisher(broker);
            int acked = publishAll(pub, "pace/q1", MESSAGES);
            assertThat(acked).isEqualTo(MESSAGES);
            assertThat(Poll.until(Duration.ofSeconds(30), () -> got.size() == MESSAGES))
                    .as("received %d of %d; dropped per $SYS: %d; publisher paused %d times", got.size(), MESSAGES,
                            broker.vane().broker().stats().messagesDropped(),
                            broker.vane().broker().stats().publishersPaused())
                    .isTrue();
            assertThat(broker.vane().broker().stats().messagesDropped()).isZero();
            assertThat(broker.vane().broker().stats().publishersPaused()).as("the publisher was slowed").isPositive();
            pub.disconnect().waitForCompletion(5_000);
            pub.close();
            sub.disconnect();
            sub.close();
        }
    }

    @Test
    void aSubscriberThatTakesNothingIsGivenUpOnAndOthersAreServed() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(s -> s.toBuilder().maxQueuedMessages(100)
                .slowSubscriberTimeout(1).build());
                RawClient stuck = RawClient.open(broker.host(), broker.port())) {
            // Subscribes at QoS 1 and never acknowledges: its window fills, then its queue.
            assertThat(stuck.connect(MqttVersion.V3_1_1, "stuck").reasonCode()).isZero();
            stuck.send(new io.vane.protocol.packet.Subscribe(1, java.util.List.of(
                    io.vane.protocol.packet.Subscription.of("pace/stuck", 1)), io.vane.protocol.Properties.NONE));
            assertThat(stuck.read(Duration.ofSeconds(5))).isInstanceOf(io.vane.protocol.packet.SubAck.class);
            Set<Integer> got = ConcurrentHashMap.newKeySet();
            MqttClient healthy = new MqttClient(broker.uri(), "healthy", new MemoryPersistence());
            healthy.connect();
            healthy.subscribe("pace/stuck", 1, (t, m) -> got.add(Integer.parseInt(new String(m.getPayload(),
                    StandardCharsets.US_ASCII))));
            MqttAsyncClient pub = publisher(broker);
            int acked = publishAll(pub, "pace/stuck", 5_000);
            assertThat(acked).as("the publisher is held at most slow_subscriber_timeout, then goes on")
                    .isEqualTo(5_000);
            assertThat(Poll.until(Duration.ofSeconds(30), () -> got.size() == 5_000)).isTrue();
            assertThat(broker.vane().broker().stats().subscribersStalled()).isEqualTo(1);
            assertThat(broker.vane().broker().stats().messagesDropped()).as("dropped for the stuck one only")
                    .isPositive();
            pub.disconnect().waitForCompletion(5_000);
            pub.close();
            healthy.disconnect();
            healthy.close();
        }
    }
}
