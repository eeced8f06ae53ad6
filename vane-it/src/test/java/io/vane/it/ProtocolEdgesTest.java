package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.Unsubscribe;
import io.vane.protocol.packet.Will;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Byte-level edges that Mosquitto's own broker test suite found (issue 17), each named after the spec
 * statement it checks, over a real socket on 127.0.0.1.
 */
class ProtocolEdgesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = BrokerFixture.start(s -> s.toBuilder().messageSizeLimit(100).build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawClient connected(MqttVersion v, String id) {
        RawClient c = RawClient.open(broker);
        assertThat(c.connect(v, id).reasonCode()).isZero();
        return c;
    }

    /** A 5.0 client reads DISCONNECT 0x81 and then the close; 3.1.1 is closed. */
    private static void assertClosedAsMalformed(RawClient c, MqttVersion v) {
        if (v == MqttVersion.V5) {
            MqttPacket p = c.read(WAIT);
            assertThat(p).isInstanceOf(Disconnect.class);
            assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        }
        assertThat(c.awaitClosed(WAIT)).isTrue();
    }

    @Test
    void mqtt_4_7_3_1_anEmptyTopicFilterInSubscribeClosesTheConnection() {
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            try (RawClient c = connected(v, "empty-sub-" + v)) {
                c.send(new Subscribe(1, List.of(Subscription.of("", 0)), Properties.NONE));
                assertClosedAsMalformed(c, v);
            }
        }
    }

    @Test
    void mqtt_4_7_1_1_aMultiLevelWildcardThatIsNotLastClosesTheConnection() {
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            try (RawClient c = connected(v, "hash-sub-" + v)) {
                // The valid filter before it is not enough: the packet as a whole is malformed.
                c.send(new Subscribe(1, List.of(Subscription.of("ok/+", 0), Subscription.of("#/a", 0)),
                        Properties.NONE));
                assertClosedAsMalformed(c, v);
            }
        }
    }

    @Test
    void mqtt_4_7_3_1_andMqtt_4_7_1_1_inUnsubscribeCloseTheConnectionToo() {
        for (String bad : List.of("", "#/a", "a+")) {
            for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
                try (RawClient c = connected(v, "unsub-" + v)) {
                    c.send(new Unsubscribe(2, List.of(bad), Properties.NONE));
                    assertClosedAsMalformed(c, v);
                }
            }
        }
    }

    @Test
    void aWellFormedFilterStillGetsItsSubAck() {
        try (RawClient c = connected(MqttVersion.V5, "fine-sub")) {
            c.send(new Subscribe(1, List.of(Subscription.of("a/+/#", 1)), Properties.NONE));
            assertThat(((SubAck) c.read(WAIT)).reasonCodes()).containsExactly(1);
        }
    }

    @Test
    void mqtt_3_2_2_19_aRefusalCarriesItsReasonStringOnlyWhenItFitsTheClientsMaximumPacketSize() {
        Connect bad = new Connect(MqttVersion.V5, "bad\u0001id", true, 60, null, null, null, Properties.NONE);
        try (RawClient c = RawClient.open(broker)) {
            c.send(bad);
            ConnAck ack = (ConnAck) c.read(WAIT);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(ack.properties().reasonString()).contains("control characters");
        }
        // 16 bytes: the refusal with its reason string is larger, the bare refusal (5 bytes) fits.
        Properties small = Properties.builder().maximumPacketSize(16L).build();
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V5, "bad\u0001id", true, 60, null, null, null, small));
            byte[] raw = c.readRaw(WAIT);
            assertThat(raw).isNotNull().hasSizeLessThanOrEqualTo(16);
            io.vane.protocol.codec.MqttDecoder decoder = new io.vane.protocol.codec.MqttDecoder(Integer.MAX_VALUE);
            decoder.setVersion(MqttVersion.V5);
            ConnAck ack = (ConnAck) decoder.decode(Unpooled.wrappedBuffer(raw));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(ack.properties().reasonString()).isNull();
        }
    }

    @Test
    void mqtt_3_1_2_24_noCONNACKLargerThanTheClientsMaximumPacketSizeIsSent() {
        // The accepting CONNACK carries Receive Maximum and Topic Alias Maximum: more than 6 bytes.
        Properties tiny = Properties.builder().maximumPacketSize(6L).build();
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V5, "tiny-limit", true, 60, null, null, null, tiny));
            assertThat(c.readRaw(WAIT)).as("nothing larger than 6 bytes, so nothing at all").isNull();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        Properties roomy = Properties.builder().maximumPacketSize(64L).build();
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V5, "roomy-limit", true, 60, null, null, null, roomy));
            byte[] raw = c.readRaw(WAIT);
            assertThat(raw).isNotNull().hasSizeLessThanOrEqualTo(64);
            assertThat(raw[0] & 0xFF).isEqualTo(0x20);
        }
    }

    @Test
    void messageSizeLimitHoldsForTheWillAsForAnyPublish() {
        byte[] big = new byte[101];
        Will will = new Will("edges/will", big, 0, false, Properties.NONE);
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V5, "big-will", true, 60, null, null, will, Properties.NONE));
            assertThat(((ConnAck) c.read(WAIT)).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V3_1_1, "big-will-3", true, 60, null, null, will, Properties.NONE));
            // 3.1.1's code 5, as Mosquitto answers.
            assertThat(c.readRaw(WAIT)).containsExactly(0x20, 0x02, 0x00, 0x05);
        }
        Will fits = new Will("edges/will", new byte[100], 0, false, Properties.NONE);
        try (RawClient c = RawClient.open(broker)) {
            c.send(new Connect(MqttVersion.V5, "fine-will", true, 60, null, null, fits, Properties.NONE));
            assertThat(((ConnAck) c.read(WAIT)).reasonCode()).isZero();
        }
    }

    @Test
    void upgradeOutgoingQosAppliesToRetainedMessagesToo() {
        try (BrokerFixture upgrading = BrokerFixture.start(s -> s.toBuilder().upgradeOutgoingQos(true).build());
                RawClient pub = RawClient.open(upgrading); RawClient sub = RawClient.open(upgrading)) {
            pub.connect(MqttVersion.V3_1_1, "qos0-pub");
            pub.send(new Publish("edges/retained", 0, true, false, 0, Properties.NONE,
                    Unpooled.wrappedBuffer("r".getBytes(StandardCharsets.US_ASCII))));
            // Published before the subscriber came, at QoS 0; it asks for QoS 1 and is sent QoS 1.
            // Packets of one connection are handled in order: once PINGRESP is back, the message is kept.
            pub.send(io.vane.protocol.packet.PingReq.INSTANCE);
            assertThat(pub.read(WAIT)).isEqualTo(io.vane.protocol.packet.PingResp.INSTANCE);
            sub.connect(MqttVersion.V3_1_1, "qos1-sub");
            sub.send(new Subscribe(1, List.of(Subscription.of("edges/#", 1)), Properties.NONE));
            assertThat(sub.read(WAIT)).isInstanceOf(SubAck.class);
            Publish retained = (Publish) sub.read(WAIT);
            assertThat(retained.retain()).isTrue();
            assertThat(retained.qos()).isEqualTo(1);
            sub.send(new PubAck(retained.packetId()));
            pub.send(new Publish("edges/live", 0, false, false, 0, Properties.NONE,
                    Unpooled.wrappedBuffer("l".getBytes(StandardCharsets.US_ASCII))));
            Publish live = (Publish) sub.read(WAIT);
            assertThat(live.topic()).isEqualTo("edges/live");
            assertThat(live.qos()).isEqualTo(1);
        }
    }
}
