package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In-process clients are real sessions whose handlers never run inside another message's routing. */
class LocalClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RawClient subscriber(BrokerFixture broker, String id, String filter, int qos) {
        RawClient c = RawClient.open(broker);
        c.connect(MqttVersion.V3_1_1, id);
        c.send(new Subscribe(1, List.of(Subscription.of(filter, qos)), Properties.NONE));
        assertThat(c.read(WAIT)).isInstanceOf(SubAck.class);
        return c;
    }

    private static String topicOf(MqttPacket p) {
        if (p instanceof Publish pub) {
            pub.payload().release();
            return pub.topic();
        }
        return String.valueOf(p);
    }

    @Test
    void aLocalSubscriberThatPublishesLeavesTheOtherSubscribersAndThePublisherAlone() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start();
                RawClient onB = subscriber(broker, "on-b", "b", 0);
                RawClient onA = subscriber(broker, "on-a", "a", 0);
                RawClient publisher = RawClient.open(broker)) {
            LocalClient echo = broker.vane().broker().connectLocal(LocalClientOptions.internal("echo"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<String> seen = new CopyOnWriteArrayList<>();
            assertThat(echo.subscribe("a", 0, m -> {
                seen.add(m.topic());
                echo.publish("b", m.payload(), 0, false);
            }).toCompletableFuture().get(5, TimeUnit.SECONDS)).isZero();

            publisher.connect(MqttVersion.V3_1_1, "publisher");
            publisher.send(new Publish("a", 0, false, false, 0, Properties.NONE,
                    Unpooled.wrappedBuffer("x".getBytes(StandardCharsets.UTF_8))));

            assertThat(topicOf(onA.read(WAIT))).isEqualTo("a");
            assertThat(topicOf(onB.read(WAIT))).isEqualTo("b");
            assertThat(seen).containsExactly("a");
            publisher.send(new PingReq());
            assertThat(publisher.read(WAIT)).isInstanceOf(PingResp.class);
            echo.close();
        }
    }

    @Test
    void qos1MessagesReachTheHandlerInOrderAndTheWillMarksAnAbort() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(); RawClient status = subscriber(broker, "st", "dev/status", 1)) {
            LocalClient device = broker.vane().broker().connectLocal(LocalClientOptions.internal("device")
                    .withWill(Message.of("dev/status", "offline".getBytes(StandardCharsets.UTF_8), 1, true)))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<String> got = new CopyOnWriteArrayList<>();
            device.subscribe("cmd/#", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 500; i++) {
                broker.vane().broker().publish("cmd/x", Integer.toString(i), 1, false);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < 500 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(got).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(got.get(i)).isEqualTo(Integer.toString(i));
            }
            device.abort();
            MqttPacket will = status.read(WAIT);
            assertThat(will).isInstanceOf(Publish.class);
            assertThat(((Publish) will).topic()).isEqualTo("dev/status");
            ((Publish) will).payload().release();
        }
    }

    @Test
    void anUntrustedLocalClientIsHeldToTheAcl() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start()) {
            LocalClient anonymous = broker.vane().broker().connectLocal(LocalClientOptions.asUser("anon", null))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            // The fixture lets everyone in; a denied $SYS publish shows the ACL is asked.
            assertThat(anonymous.publish("$SYS/broker/forged", new byte[] {1}, 0, false)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(0x87);
            anonymous.close();
        }
    }
}
