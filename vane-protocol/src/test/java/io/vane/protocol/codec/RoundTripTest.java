package io.vane.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.Auth;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.UnsubAck;
import io.vane.protocol.packet.Unsubscribe;
import io.vane.protocol.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every packet type, encoded then decoded, for every protocol version. */
class RoundTripTest {

    static Properties fullPublishProps() {
        return Properties.builder().payloadFormatIndicator(1).messageExpiryInterval(60L).contentType("application/json")
                .responseTopic("reply/here").correlationData(new byte[] {1, 2, 3}).topicAlias(3)
                .addUserProperty("k", "v").addUserProperty("k", "v2").build();
    }

    static DecodeResult decode(MqttVersion v, MqttPacket p) {
        ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            assertThat(buf.readableBytes()).isEqualTo(MqttEncoder.encodedSize(p, v));
            MqttDecoder d = new MqttDecoder(1 << 20);
            d.setVersion(v);
            return d.decode(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void connectWithWillUserAndPassword(MqttVersion v) {
        boolean v5 = v == MqttVersion.V5;
        Properties props = v5 ? Properties.builder().sessionExpiryInterval(300L).receiveMaximum(10)
                .maximumPacketSize(1000L).topicAliasMaximum(5).requestProblemInformation(0)
                .addUserProperty("a", "b").build() : Properties.NONE;
        Properties willProps = v5 ? Properties.builder().willDelayInterval(5L).contentType("text/plain").build()
                : Properties.NONE;
        Connect c = new Connect(v, "client-1", true, 60, "user", "pw".getBytes(StandardCharsets.UTF_8),
                new Will("last/will", "bye".getBytes(StandardCharsets.UTF_8), 1, true, willProps), props);
        MqttDecoder d = new MqttDecoder(1 << 20);
        ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, c, v);
        Connect back = (Connect) d.decode(buf);
        buf.release();
        assertThat(d.version()).isEqualTo(v);
        assertThat(back.clientId()).isEqualTo("client-1");
        assertThat(back.cleanStart()).isTrue();
        assertThat(back.keepAlive()).isEqualTo(60);
        assertThat(back.username()).isEqualTo("user");
        assertThat(back.password()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
        assertThat(back.will().topic()).isEqualTo("last/will");
        assertThat(back.will().payload()).isEqualTo("bye".getBytes(StandardCharsets.UTF_8));
        assertThat(back.will().qos()).isEqualTo(1);
        assertThat(back.will().retain()).isTrue();
        assertThat(back.will().properties()).isEqualTo(willProps);
        assertThat(back.properties()).isEqualTo(props);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void publishAtEveryQosWithSmallAndLargePayloads(MqttVersion v) {
        for (int size : new int[] {0, 5, 1024, 1025, 70_000}) {
            for (int qos = 0; qos <= 2; qos++) {
                byte[] payload = new byte[size];
                for (int i = 0; i < size; i++) {
                    payload[i] = (byte) i;
                }
                Properties props = v == MqttVersion.V5 ? fullPublishProps() : Properties.NONE;
                Publish p = new Publish("a/b/ü", qos, true, qos > 0, qos > 0 ? 42 : 0, props,
                        Unpooled.wrappedBuffer(payload));
                Publish back = (Publish) decode(v, p);
                assertThat(back.topic()).isEqualTo("a/b/ü");
                assertThat(back.qos()).isEqualTo(qos);
                assertThat(back.retain()).isTrue();
                assertThat(back.dup()).isEqualTo(qos > 0);
                assertThat(back.packetId()).isEqualTo(qos > 0 ? 42 : 0);
                assertThat(back.properties()).isEqualTo(props);
                assertThat(ByteBufUtil.getBytes(back.payload())).isEqualTo(payload);
                assertThat(p.payload().refCnt()).as("encoder keeps the caller's reference").isEqualTo(1);
                back.payload().release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void acknowledgements(MqttVersion v) {
        boolean v5 = v == MqttVersion.V5;
        Properties reason = v5 ? Properties.builder().reasonString("why").build() : Properties.NONE;
        int code = v5 ? 0x87 : 0;
        assertThat(decode(v, new PubAck(1, code, reason))).isEqualTo(new PubAck(1, code, reason));
        assertThat(decode(v, new PubRec(2, code, reason))).isEqualTo(new PubRec(2, code, reason));
        assertThat(decode(v, new PubRel(3))).isEqualTo(new PubRel(3));
        assertThat(decode(v, new PubComp(4))).isEqualTo(new PubComp(4));
        assertThat(decode(v, new PubAck(5))).isEqualTo(new PubAck(5));
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void subscribeAndUnsubscribe(MqttVersion v) {
        boolean v5 = v == MqttVersion.V5;
        List<Subscription> subs = v5
                ? List.of(new Subscription("a/+", 1, true, true, 2), new Subscription("#", 2, false, false, 1))
                : List.of(Subscription.of("a/+", 1), Subscription.of("#", 2));
        Properties props = v5 ? Properties.builder().addSubscriptionIdentifier(7).build() : Properties.NONE;
        assertThat(decode(v, new Subscribe(9, subs, props))).isEqualTo(new Subscribe(9, subs, props));
        assertThat(decode(v, new SubAck(9, List.of(1, 2), Properties.NONE)))
                .isEqualTo(new SubAck(9, List.of(1, 2), Properties.NONE));
        assertThat(decode(v, new Unsubscribe(10, List.of("a/+", "#"), Properties.NONE)))
                .isEqualTo(new Unsubscribe(10, List.of("a/+", "#"), Properties.NONE));
        List<Integer> codes = v5 ? List.of(0, 0x11) : List.of();
        assertThat(decode(v, new UnsubAck(10, codes, Properties.NONE))).isEqualTo(new UnsubAck(10, codes, Properties.NONE));
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void pingConnAckAndDisconnect(MqttVersion v) {
        assertThat(decode(v, PingReq.INSTANCE)).isEqualTo(PingReq.INSTANCE);
        assertThat(decode(v, PingResp.INSTANCE)).isEqualTo(PingResp.INSTANCE);
        assertThat(decode(v, Disconnect.NORMAL)).isEqualTo(Disconnect.NORMAL);
        // 3.1 has no Session Present flag (sessionPresentOnlyWhereTheVersionHasIt).
        ConnAck ack = new ConnAck(v != MqttVersion.V3_1, 0, v == MqttVersion.V5
                ? Properties.builder().assignedClientIdentifier("auto-1").topicAliasMaximum(10).receiveMaximum(20).build()
                : Properties.NONE);
        assertThat(decode(v, ack)).isEqualTo(ack);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = "V5")
    void v5OnlyPackets(MqttVersion v) {
        Disconnect d = new Disconnect(0x8E, Properties.builder().reasonString("session taken over").build());
        assertThat(decode(v, d)).isEqualTo(d);
        Auth a = new Auth(0x18, Properties.builder().authenticationMethod("SCRAM").authenticationData(new byte[] {9}).build());
        assertThat(decode(v, a)).isEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void V3_SUBACK_failureCodesBecome0x80(MqttVersion v) {
        SubAck back = (SubAck) decode(v, new SubAck(1, List.of(0x87), Properties.NONE));
        assertThat(back.reasonCodes()).containsExactly(v == MqttVersion.V5 ? 0x87 : 0x80);
    }

    /** Mosquitto's bridge mark: protocol level 0x83 / 0x84 on 3.1 / 3.1.1; 5.0 has no such level. */
    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
    void bridgeMarkIsTheTopBitOfTheProtocolLevel(MqttVersion v) {
        Connect c = new Connect(v, "house.bridge", false, 60, null, null, null, Properties.NONE, true);
        ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, c, v);
        try {
            int nameLength = v.protocolName().length();
            assertThat((int) buf.getUnsignedByte(2 + 2 + nameLength)).isEqualTo(0x80 | v.level());
        } finally {
            buf.release();
        }
        Connect back = (Connect) decode(v, c);
        assertThat(back.bridge()).isTrue();
        assertThat(back.version()).isEqualTo(v);
        assertThat(((Connect) decode(v, new Connect(v, "plain", true, 60, null, null, null, Properties.NONE))).bridge())
                .isFalse();
    }

    /** MQTT 3.1's CONNACK has no Session Present flag: its first byte stays 0; 3.1.1 and 5.0 set it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(MqttVersion.class)
    void sessionPresentOnlyWhereTheVersionHasIt(MqttVersion v) {
        ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, new ConnAck(true, 0, Properties.NONE), v);
        try {
            assertThat((int) buf.getUnsignedByte(2)).isEqualTo(v == MqttVersion.V3_1 ? 0 : 1);
        } finally {
            buf.release();
        }
    }
}
