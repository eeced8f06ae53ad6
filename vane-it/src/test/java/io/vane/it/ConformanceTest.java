package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.Will;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level conformance: each test is one normative statement, driven by a raw socket client. */
class ConformanceTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = BrokerFixture.start(s -> s.toBuilder().maxInflightMessages(3).maxPacketSize(1024).build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawClient connected(MqttVersion v, String id) {
        RawClient c = RawClient.open(broker);
        ConnAck ack = c.connect(v, id);
        assertThat(ack.reasonCode()).isZero();
        return c;
    }

    private static Publish publish(String topic, int qos, int id, String payload) {
        return new Publish(topic, qos, false, false, id, Properties.NONE,
                Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- MUST close the connection --------------------------------------------------------------

    @Test
    void MQTT_3_1_0_1_firstPacketMustBeConnect() {
        try (RawClient c = RawClient.open(broker)) {
            c.sendHex("c0 00");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_3_1_0_2_secondConnectIsAProtocolError() {
        for (MqttVersion v : MqttVersion.values()) {
            try (RawClient c = connected(v, "second-connect-" + v)) {
                c.send(new Connect(v, "again", true, 60, null, null, null, Properties.NONE));
                if (v == MqttVersion.V5) {
                    MqttPacket p = c.read(WAIT);
                    assertThat(p).isEqualTo(new Disconnect(ReasonCode.PROTOCOL_ERROR,
                            Properties.builder().reasonString("second CONNECT").build()));
                }
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
        }
    }

    @Test
    void MQTT_3_1_2_2_unsupportedProtocolLevelGetsConnackThenClose() {
        try (RawClient c = RawClient.open(broker)) {
            c.sendHex("10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 61");
            byte[] ack = c.readRaw(WAIT);
            assertThat(ack).containsExactly(0x20, 0x02, 0x00, 0x01);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_2_2_2_2_reservedFlagsCloseTheConnection() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "reserved-flags")) {
            c.sendHex("c1 00");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_3_3_1_4_qos3IsMalformed() {
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            try (RawClient c = connected(v, "qos3-" + v)) {
                c.sendHex(v == MqttVersion.V5 ? "36 06 00 01 74 00 01 00" : "36 05 00 01 74 00 01");
                if (v == MqttVersion.V5) {
                    MqttPacket p = c.read(WAIT);
                    assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
                }
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
        }
    }

    @Test
    void MQTT_3_3_2_2_wildcardInPublishTopicClosesTheConnection() {
        try (RawClient c = connected(MqttVersion.V5, "wildcard-topic")) {
            c.sendHex("30 04 00 01 23 00");
            assertThat(((Disconnect) c.read(WAIT)).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_1_5_4_1_invalidUtf8ClosesTheConnection() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "bad-utf8")) {
            c.sendHex("30 05 00 03 ed a0 80");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_1_5_4_2_nullCharacterClosesTheConnection() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "null-char")) {
            c.sendHex("30 04 00 02 61 00");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void remainingLengthOfFiveBytesClosesTheConnection() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "five-bytes")) {
            c.sendHex("30 ff ff ff ff 01");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void packetOverMaxPacketSizeIsRefusedBeforeItsBodyIsSent() {
        // The broker runs with max_packet_size 1024; send only the header of a 10,000-byte PUBLISH.
        try (RawClient c = connected(MqttVersion.V5, "too-big")) {
            c.sendHex("30 90 4e");
            MqttPacket p = c.read(WAIT);
            assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_3_8_3_4_noLocalOnSharedSubscriptionIsAProtocolError() {
        try (RawClient c = connected(MqttVersion.V5, "shared-nolocal")) {
            c.send(new Subscribe(1, List.of(new Subscription("$share/g/t", 0, true, false, 0)), Properties.NONE));
            assertThat(((Disconnect) c.read(WAIT)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void invalidTopicFilterOn311ClosesTheConnection() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "bad-filter")) {
            c.send(new Subscribe(1, List.of(Subscription.of("a/#/b", 0)), Properties.NONE));
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void topicAliasAboveTheMaximumIsRefused() {
        try (RawClient c = connected(MqttVersion.V5, "alias-max")) {
            c.send(new Publish("t", 0, false, false, 0, Properties.builder().topicAlias(11).build(),
                    Unpooled.EMPTY_BUFFER));
            assertThat(((Disconnect) c.read(WAIT)).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    // ---- CONNECT ----------------------------------------------------------------------------------

    @Test
    void MQTT_3_1_3_8_emptyClientIdWithoutCleanSessionIsRejectedOn311() {
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(MqttVersion.V3_1_1, "", false, 60, Properties.NONE);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.V3_IDENTIFIER_REJECTED);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        try (RawClient c = RawClient.open(broker)) {
            assertThat(c.connect(MqttVersion.V3_1_1, "", true, 60, Properties.NONE).reasonCode()).isZero();
        }
    }

    @Test
    void mqtt31RefusesClientIdsLongerThan23() {
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(MqttVersion.V3_1, "abcdefghijklmnopqrstuvwx", true, 60, Properties.NONE);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.V3_IDENTIFIER_REJECTED);
        }
    }

    @Test
    void MQTT_3_1_4_3_sessionTakeoverClosesTheOldConnectionWith0x8E() {
        try (RawClient old = connected(MqttVersion.V5, "takeover"); RawClient fresh = RawClient.open(broker)) {
            assertThat(fresh.connect(MqttVersion.V5, "takeover").reasonCode()).isZero();
            MqttPacket p = old.read(WAIT);
            assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
            assertThat(old.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void takeoverOn311ClosesTheOldConnection() {
        try (RawClient old = connected(MqttVersion.V3_1_1, "takeover311"); RawClient fresh = RawClient.open(broker)) {
            assertThat(fresh.connect(MqttVersion.V3_1_1, "takeover311").reasonCode()).isZero();
            assertThat(old.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void MQTT_3_1_2_24_keepAliveIsEnforcedAtOneAndAHalfTimes() {
        try (RawClient c = RawClient.open(broker)) {
            c.connect(MqttVersion.V3_1_1, "keepalive", true, 1, Properties.NONE);
            assertThat(c.awaitClosed(Duration.ofSeconds(4))).isTrue();
        }
    }

    @Test
    void pingKeepsTheConnectionAlive() {
        try (RawClient c = RawClient.open(broker)) {
            c.connect(MqttVersion.V3_1_1, "pinger", true, 1, Properties.NONE);
            for (int i = 0; i < 4; i++) {
                c.sendHex("c0 00");
                assertThat(c.read(WAIT)).isEqualTo(PingResp.INSTANCE);
                sleep(500); // pacing, not a wait: pings half a keep-alive apart keep a 1 s session open
            }
        }
    }

    @Test
    void connackAdvertisesTheBrokersLimitsOn5() {
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(MqttVersion.V5, "limits");
            assertThat(ack.properties().receiveMaximum()).isEqualTo(3);
            assertThat(ack.properties().topicAliasMaximum()).isEqualTo(10);
            assertThat(ack.properties().maximumPacketSize()).isEqualTo(1024L);
        }
    }

    // ---- QoS flows --------------------------------------------------------------------------------

    @Test
    void MQTT_4_3_3_exactlyOnceInbound() {
        try (RawClient sub = connected(MqttVersion.V3_1_1, "eo-sub"); RawClient pub = connected(MqttVersion.V3_1_1, "eo-pub")) {
            sub.send(new Subscribe(1, List.of(Subscription.of("eo/t", 0)), Properties.NONE));
            assertThat(sub.read(WAIT)).isInstanceOf(SubAck.class);
            pub.send(publish("eo/t", 2, 7, "once"));
            assertThat(pub.read(WAIT)).isEqualTo(new PubRec(7));
            pub.send(new Publish("eo/t", 2, false, true, 7, Properties.NONE, Unpooled.wrappedBuffer("once".getBytes())));
            assertThat(pub.read(WAIT)).isEqualTo(new PubRec(7));
            pub.send(new PubRel(7));
            assertThat(pub.read(WAIT)).isEqualTo(new PubComp(7));
            assertThat(sub.read(WAIT)).isInstanceOf(Publish.class);
            assertThat(sub.read(Duration.ofMillis(300))).as("delivered once").isNull();
        }
    }

    @Test
    void inflightWindowIsRespectedAndAcksReleaseMore() {
        // max_inflight_messages is 3 on this broker.
        try (RawClient sub = connected(MqttVersion.V3_1_1, "window-sub")) {
            sub.send(new Subscribe(1, List.of(Subscription.of("window/t", 1)), Properties.NONE));
            sub.read(WAIT);
            for (int i = 0; i < 6; i++) {
                broker.vane().broker().publish("window/t", "m" + i, 1, false);
            }
            Publish[] got = new Publish[3];
            for (int i = 0; i < 3; i++) {
                got[i] = (Publish) sub.read(WAIT);
            }
            assertThat(sub.read(Duration.ofMillis(300))).as("no fourth before an ack").isNull();
            sub.send(new PubAck(got[0].packetId()));
            Publish fourth = (Publish) sub.read(WAIT);
            assertThat(fourth.payload().toString(StandardCharsets.UTF_8)).isEqualTo("m3");
        }
    }

    @Test
    void MQTT_4_4_0_1_unacknowledgedMessagesAreResentWithDupOnResume() {
        try (RawClient sub = RawClient.open(broker)) {
            sub.connect(MqttVersion.V3_1_1, "resend", false, 60, Properties.NONE);
            sub.send(new Subscribe(1, List.of(Subscription.of("resend/t", 1)), Properties.NONE));
            sub.read(WAIT);
            broker.vane().broker().publish("resend/t", "again", 1, false);
            Publish first = (Publish) sub.read(WAIT);
            assertThat(first.dup()).isFalse();
        }
        try (RawClient again = RawClient.open(broker)) {
            ConnAck ack = again.connect(MqttVersion.V3_1_1, "resend", false, 60, Properties.NONE);
            assertThat(ack.sessionPresent()).isTrue();
            Publish resent = (Publish) again.read(WAIT);
            assertThat(resent.dup()).isTrue();
            assertThat(resent.payload().toString(StandardCharsets.UTF_8)).isEqualTo("again");
            again.send(new PubAck(resent.packetId()));
            again.send(new Connect(MqttVersion.V3_1_1, "x", true, 0, null, null, null, Properties.NONE));
        }
    }

    @Test
    void MQTT_3_1_3_9_willDelayIsCancelledByReconnect() {
        try (RawClient watch = connected(MqttVersion.V5, "delay-watch")) {
            watch.send(new Subscribe(1, List.of(Subscription.of("delay/#", 0)), Properties.NONE));
            watch.read(WAIT);
            Properties session = Properties.builder().sessionExpiryInterval(60L).build();
            Will will = new Will("delay/will", "late".getBytes(), 0, false,
                    Properties.builder().willDelayInterval(2L).build());
            RawClient dying = RawClient.open(broker);
            dying.send(new Connect(MqttVersion.V5, "delayed", false, 60, null, null, will, session));
            dying.read(WAIT);
            dying.close();
            assertThat(watch.read(Duration.ofMillis(1000))).as("not before the delay").isNull();
            try (RawClient back = RawClient.open(broker)) {
                back.send(new Connect(MqttVersion.V5, "delayed", false, 60, null, null, null, session));
                assertThat(((ConnAck) back.read(WAIT)).sessionPresent()).isTrue();
                assertThat(watch.read(Duration.ofMillis(2500))).as("cancelled by the reconnect").isNull();
            }
            RawClient dying2 = RawClient.open(broker);
            dying2.send(new Connect(MqttVersion.V5, "delayed2", true, 60, null, null, will, session));
            dying2.read(WAIT);
            dying2.close();
            Publish p = (Publish) watch.read(Duration.ofSeconds(5));
            assertThat(p.topic()).isEqualTo("delay/will");
        }
    }

    @Test
    void topicAliasSetThenUsedByTheClient() {
        try (RawClient c = connected(MqttVersion.V5, "alias-in")) {
            c.send(new Subscribe(1, List.of(Subscription.of("alias/long/topic", 0)), Properties.NONE));
            c.read(WAIT);
            c.send(new Publish("alias/long/topic", 0, false, false, 0, Properties.builder().topicAlias(1).build(),
                    Unpooled.wrappedBuffer("one".getBytes())));
            c.send(new Publish("", 0, false, false, 0, Properties.builder().topicAlias(1).build(),
                    Unpooled.wrappedBuffer("two".getBytes())));
            Publish a = (Publish) c.read(WAIT);
            Publish b = (Publish) c.read(WAIT);
            assertThat(a.topic()).isEqualTo("alias/long/topic");
            assertThat(b.topic()).isEqualTo("alias/long/topic");
            assertThat(b.payload().toString(StandardCharsets.UTF_8)).isEqualTo("two");
        }
    }

    @Test
    void outboundTopicAliasesStayWithinTheClientsMaximum() {
        try (RawClient c = RawClient.open(broker)) {
            c.connect(MqttVersion.V5, "alias-out", true, 60, Properties.builder().topicAliasMaximum(1).build());
            c.send(new Subscribe(1, List.of(Subscription.of("out/+", 0)), Properties.NONE));
            c.read(WAIT);
            broker.vane().broker().publish("out/a", "1", 0, false);
            broker.vane().broker().publish("out/a", "2", 0, false);
            broker.vane().broker().publish("out/b", "3", 0, false);
            Publish first = (Publish) c.read(WAIT);
            Publish second = (Publish) c.read(WAIT);
            Publish third = (Publish) c.read(WAIT);
            assertThat(first.topic()).isEqualTo("out/a");
            assertThat(first.properties().topicAlias()).isEqualTo(1);
            assertThat(second.topic()).isEmpty();
            assertThat(second.properties().topicAlias()).isEqualTo(1);
            assertThat(third.topic()).isEqualTo("out/b");
            assertThat(third.properties().topicAlias()).isNull();
        }
    }

    @Test
    void messageExpiryDropsQueuedMessagesForOfflineSessions() {
        Properties session = Properties.builder().sessionExpiryInterval(60L).build();
        int connected;
        try (RawClient c = RawClient.open(broker)) {
            c.connect(MqttVersion.V5, "expiry-queue", true, 60, session);
            c.send(new Subscribe(1, List.of(Subscription.of("expq/t", 1)), Properties.NONE));
            c.read(WAIT);
            connected = broker.vane().broker().stats().clientsConnected();
        }
        int before = connected;
        // The session must be offline before the messages are published, so that they are queued.
        assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(10),
                () -> broker.vane().broker().stats().clientsConnected() < before)).isTrue();
        broker.vane().broker().publish(new io.vane.broker.Message("expq/t", "gone".getBytes(), 1, false,
                Properties.NONE, System.currentTimeMillis() + 500, null));
        broker.vane().broker().publish("expq/t", "kept", 1, false);
        sleep(1000); // not a wait for a condition: the 500 ms expiry must pass while the session is offline
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(MqttVersion.V5, "expiry-queue", false, 60, session);
            assertThat(ack.sessionPresent()).isTrue();
            Publish p = (Publish) c.read(WAIT);
            assertThat(p.payload().toString(StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        try (RawClient c = connected(MqttVersion.V5, "unsub")) {
            c.send(new Subscribe(1, List.of(Subscription.of("unsub/t", 0)), Properties.NONE));
            c.read(WAIT);
            c.send(new io.vane.protocol.packet.Unsubscribe(2, List.of("unsub/t", "never"), Properties.NONE));
            io.vane.protocol.packet.UnsubAck ack = (io.vane.protocol.packet.UnsubAck) c.read(WAIT);
            assertThat(ack.reasonCodes()).containsExactly(0, ReasonCode.NO_SUBSCRIPTION_EXISTED);
            broker.vane().broker().publish("unsub/t", "x", 0, false);
            assertThat(c.read(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        try (RawClient c = connected(MqttVersion.V3_1_1, "dollar")) {
            c.send(new Subscribe(1, List.of(Subscription.of("#", 0), Subscription.of("+/x", 0)), Properties.NONE));
            c.read(WAIT);
            broker.vane().broker().publish("$SYS/x", "sys", 0, false);
            broker.vane().broker().publish("plain/x", "plain", 0, false);
            Publish p = (Publish) c.read(WAIT);
            assertThat(p.topic()).isEqualTo("plain/x");
            assertThat(c.read(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void serverKeepAliveCapsTheClientsKeepAliveOn5() {
        try (BrokerFixture capped = BrokerFixture.start(s -> s.toBuilder().maxKeepalive(30).build()); RawClient c = RawClient.open(capped)) {
            ConnAck ack = c.connect(MqttVersion.V5, "ka-cap", true, 600, Properties.NONE);
            assertThat(ack.properties().serverKeepAlive()).isEqualTo(30); // [MQTT-3.2.2-21]
        }
    }

    @Test
    void MQTT_3_1_2_25_messagesLargerThanTheClientsMaximumPacketSizeAreNotSent() {
        try (RawClient c = RawClient.open(broker)) {
            c.connect(MqttVersion.V5, "small-max", true, 60, Properties.builder().maximumPacketSize(64L).build());
            c.send(new Subscribe(1, List.of(Subscription.of("max/+", 0)), Properties.NONE));
            c.read(WAIT);
            broker.vane().broker().publish("max/big", "x".repeat(200), 0, false);
            broker.vane().broker().publish("max/small", "fits", 0, false);
            Publish p = (Publish) c.read(WAIT);
            assertThat(p.topic()).isEqualTo("max/small");
        }
    }

    @Test
    void MQTT_3_3_4_9_receiveMaximumExceededByTheClient() {
        // The broker announces Receive Maximum 3; a fourth unreleased QoS 2 PUBLISH is a protocol violation.
        try (RawClient c = connected(MqttVersion.V5, "too-many-qos2")) {
            for (int id = 1; id <= 4; id++) {
                c.send(publish("rm/t", 2, id, "x"));
            }
            MqttPacket last = null;
            for (int i = 0; i < 4; i++) {
                last = c.read(WAIT);
                if (last instanceof Disconnect) {
                    break;
                }
            }
            assertThat(((Disconnect) last).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    @Test
    void willQosAndRetainAreHonoured() {
        try (RawClient watch = connected(MqttVersion.V3_1_1, "will-qos-watch")) {
            watch.send(new Subscribe(1, List.of(Subscription.of("willq/#", 2)), Properties.NONE));
            watch.read(WAIT);
            RawClient dying = RawClient.open(broker);
            dying.send(new Connect(MqttVersion.V3_1_1, "will-qos", true, 60, null, null,
                    new Will("willq/t", "bye".getBytes(), 2, false, Properties.NONE), Properties.NONE));
            dying.read(WAIT);
            dying.close();
            Publish p = (Publish) watch.read(WAIT);
            assertThat(p.qos()).isEqualTo(2);
            assertThat(p.retain()).isFalse();
        }
    }

    @Test
    void maxConnectionsRefusesConnectionsBeyondTheLimit() {
        io.vane.app.config.VaneConfig config = io.vane.app.config.VaneConfig.defaults()
                .withListeners(List.of(new io.vane.transport.ListenerConfig(0, "127.0.0.1",
                        io.vane.transport.ListenerConfig.Protocol.MQTT, 2)))
                .withSecurity(io.vane.app.config.SecurityConfig.anonymous(true));
        // One after the other: accepted sockets are counted on their event loops, in no fixed order.
        try (BrokerFixture limited = BrokerFixture.start(config); RawClient a = RawClient.open(limited)) {
            assertThat(a.connect(MqttVersion.V3_1_1, "a").reasonCode()).isZero();
            RawClient b = RawClient.open(limited);
            assertThat(b.connect(MqttVersion.V3_1_1, "b").reasonCode()).isZero();
            RawClient c = RawClient.open(limited);
            assertThat(c.awaitClosed(WAIT)).as("the third is closed").isTrue();
            c.close();
            a.close();
            // Room again once the server has counted a's close: a bounded poll, not a guess of how long that takes.
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(10), () -> {
                try (RawClient d = RawClient.open(limited)) {
                    return d.connect(MqttVersion.V3_1_1, "d").reasonCode() == 0;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            })).as("room again").isTrue();
            b.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
