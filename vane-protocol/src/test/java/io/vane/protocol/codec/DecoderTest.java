package io.vane.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Byte-level decoder behaviour: exact bytes, incremental input, and every malformed case by statement. */
class DecoderTest {
    /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60, client id "a" (3.1.1 section 3.1 figure layout). */
    static final String CONNECT_311 = "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61";
    static final String CONNECT_5 = "10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61";

    static ByteBuf hex(String s) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(s.replace(" ", "")));
    }

    static MqttDecoder connected(String connectHex) {
        MqttDecoder d = new MqttDecoder(1 << 20);
        assertThat(d.decode(hex(connectHex))).isInstanceOf(Connect.class);
        return d;
    }

    static MalformedPacket malformed(MqttDecoder d, String hex) {
        DecodeResult r = d.decode(hex(hex));
        assertThat(r).isInstanceOf(MalformedPacket.class);
        return (MalformedPacket) r;
    }

    @Test
    void decodesTheSpecLayoutOfAConnect() {
        MqttDecoder d = new MqttDecoder(1 << 20);
        Connect c = (Connect) d.decode(hex(CONNECT_311));
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(c.clientId()).isEqualTo("a");
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.keepAlive()).isEqualTo(60);
        assertThat(d.version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    void decodesMqtt31Connect() {
        MqttDecoder d = new MqttDecoder(1 << 20);
        Connect c = (Connect) d.decode(hex("10 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 61"));
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1);
    }

    @Test
    void needsMoreBytesWithoutMovingTheReaderIndex() {
        byte[] all = ByteBufUtil.decodeHexDump(CONNECT_311.replace(" ", ""));
        MqttDecoder d = new MqttDecoder(1 << 20);
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < all.length - 1; i++) {
            buf.writeByte(all[i]);
            assertThat(d.decode(buf)).isNull();
            assertThat(buf.readerIndex()).isZero();
        }
        buf.writeByte(all[all.length - 1]);
        assertThat(d.decode(buf)).isInstanceOf(Connect.class);
    }

    @Test
    void severalPacketsInOneBuffer() {
        MqttDecoder d = connected(CONNECT_311);
        ByteBuf buf = hex("c0 00 30 05 00 01 74 68 69 c0 00");
        assertThat(d.decode(buf)).isEqualTo(PingReq.INSTANCE);
        Publish p = (Publish) d.decode(buf);
        assertThat(p.topic()).isEqualTo("t");
        assertThat(p.payload().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hi");
        assertThat(d.decode(buf)).isEqualTo(PingReq.INSTANCE);
        assertThat(d.decode(buf)).isNull();
    }

    @Test
    void oversizePacketIsRefusedFromItsFixedHeaderAlone() {
        MqttDecoder d = new MqttDecoder(1024);
        d.decode(hex(CONNECT_311));
        // PUBLISH claiming 10 MB: only the fixed header has arrived.
        MalformedPacket m = malformed(d, "30 80 ad e2 04");
        assertThat(m.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    void MQTT_3_1_0_1_firstPacketMustBeConnect() {
        MalformedPacket m = malformed(new MqttDecoder(1 << 20), "c0 00");
        assertThat(m.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(m.specRef()).isEqualTo("MQTT-3.1.0-1");
    }

    @Test
    void MQTT_3_1_2_2_unsupportedProtocolLevelAsksForConnack() {
        MalformedPacket m = malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 61");
        assertThat(m.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void bridgeMarkOnMqtt5IsAnUnsupportedLevel() {
        // 0x85 is no level Mosquitto or Vane speaks: 5.0 bridges use No Local instead of the mark.
        MalformedPacket m = malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 85 02 00 3c 00 01 61");
        assertThat(m.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(m.message()).contains("133");
    }

    @Test
    void MQTT_3_1_2_1_unknownProtocolName() {
        MalformedPacket m = malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 58 04 02 00 3c 00 01 61");
        assertThat(m.specRef()).isEqualTo("MQTT-3.1.2-1");
    }

    @Test
    void MQTT_3_1_2_3_connectReservedFlag() {
        assertThat(malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 61").specRef())
                .isEqualTo("MQTT-3.1.2-3");
    }

    @Test
    void MQTT_3_1_2_11_willQosWithoutWillFlag() {
        assertThat(malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 61").specRef())
                .isEqualTo("MQTT-3.1.2-11");
    }

    @Test
    void MQTT_3_1_2_13_willRetainWithoutWillFlag() {
        assertThat(malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 61").specRef())
                .isEqualTo("MQTT-3.1.2-13");
    }

    @Test
    void MQTT_3_1_2_22_passwordWithoutUserNameOn311() {
        assertThat(malformed(new MqttDecoder(1 << 20), "10 0d 00 04 4d 51 54 54 04 42 00 3c 00 01 61").specRef())
                .isEqualTo("MQTT-3.1.2-22");
    }

    @Test
    void MQTT_2_2_2_2_reservedFlagsOnSubscribe() {
        MqttDecoder d = connected(CONNECT_311);
        assertThat(malformed(d, "80 06 00 01 00 01 61 00").specRef()).isEqualTo("MQTT-2.2.2-2");
    }

    @Test
    void MQTT_2_2_2_2_reservedFlagsOnPingreq() {
        assertThat(malformed(connected(CONNECT_311), "c1 00").specRef()).isEqualTo("MQTT-2.2.2-2");
    }

    @Test
    void MQTT_3_3_1_4_qos3IsMalformed() {
        assertThat(malformed(connected(CONNECT_311), "36 05 00 01 74 00 01").specRef()).isEqualTo("MQTT-3.3.1-4");
    }

    @Test
    void MQTT_3_3_1_2_dupOnQos0() {
        assertThat(malformed(connected(CONNECT_311), "38 03 00 01 74").specRef()).isEqualTo("MQTT-3.3.1-2");
    }

    @Test
    void MQTT_3_3_2_2_wildcardInPublishTopic() {
        assertThat(malformed(connected(CONNECT_311), "30 03 00 01 23").specRef()).isEqualTo("MQTT-3.3.2-2");
        MalformedPacket v5 = malformed(connected(CONNECT_5), "30 04 00 01 2b 00");
        assertThat(v5.reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void aControlCharacterInAPublishTopicIsRefusedWithoutQuotingIt() {
        MalformedPacket v3 = malformed(connected(CONNECT_311), "30 05 00 03 61 0a 62"); // "a\nb"
        assertThat(v3.specRef()).isEqualTo("MQTT-1.5.4");
        assertThat(v3.message()).contains("U+000A").doesNotContain("\n");
        MalformedPacket v5 = malformed(connected(CONNECT_5), "30 06 00 03 61 7f 62 00");
        assertThat(v5.reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void MQTT_2_3_1_1_packetIdZero() {
        assertThat(malformed(connected(CONNECT_311), "32 05 00 01 74 00 00").specRef()).isEqualTo("MQTT-2.3.1-1");
        assertThat(malformed(connected(CONNECT_311), "40 02 00 00").specRef()).isEqualTo("MQTT-2.3.1-1");
    }

    @Test
    void MQTT_1_5_4_1_invalidUtf8() {
        // Topic is the lone byte 0xC3 (a truncated two-byte sequence), then an encoded surrogate.
        assertThat(malformed(connected(CONNECT_311), "30 03 00 01 c3").specRef()).isEqualTo("MQTT-1.5.4-1");
        assertThat(malformed(connected(CONNECT_311), "30 05 00 03 ed a0 80").specRef()).isEqualTo("MQTT-1.5.4-1");
        assertThat(malformed(connected(CONNECT_311), "30 04 00 02 c0 80").specRef()).as("overlong")
                .isEqualTo("MQTT-1.5.4-1");
    }

    @Test
    void MQTT_1_5_4_2_nullCharacter() {
        assertThat(malformed(connected(CONNECT_311), "30 04 00 02 61 00").specRef()).isEqualTo("MQTT-1.5.4-2");
    }

    @Test
    void MQTT_3_8_3_3_subscribeWithoutFilters() {
        assertThat(malformed(connected(CONNECT_311), "82 02 00 01").specRef()).isEqualTo("MQTT-3.8.3-3");
    }

    @Test
    void MQTT_3_10_3_2_unsubscribeWithoutFilters() {
        assertThat(malformed(connected(CONNECT_311), "a2 02 00 01").specRef()).isEqualTo("MQTT-3.10.3-2");
    }

    @Test
    void MQTT_3_8_3_4_reservedQosBitsOn311() {
        assertThat(malformed(connected(CONNECT_311), "82 06 00 01 00 01 61 04").specRef()).isEqualTo("MQTT-3-8.3-4");
    }

    @Test
    void MQTT_3_8_3_5_reservedOptionBitsOn5() {
        assertThat(malformed(connected(CONNECT_5), "82 07 00 01 00 00 01 61 40").specRef()).isEqualTo("MQTT-3.8.3-5");
    }

    @Test
    void remainingLengthOfFiveBytes() {
        assertThat(malformed(connected(CONNECT_311), "30 ff ff ff ff 01").specRef()).isEqualTo("MQTT-1.5.5-1");
    }

    @Test
    void propertyAppearingTwiceIsAProtocolError() {
        // PUBLISH with Message Expiry Interval twice.
        MalformedPacket m = malformed(connected(CONNECT_5), "30 0e 00 01 74 0a 02 00 00 00 01 02 00 00 00 02");
        assertThat(m.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void propertyNotAllowedInThePacket() {
        // PUBLISH carrying Session Expiry Interval (0x11).
        assertThat(malformed(connected(CONNECT_5), "30 09 00 01 74 05 11 00 00 00 01").reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void MQTT_3_3_4_6_subscriptionIdentifierFromAClient() {
        assertThat(malformed(connected(CONNECT_5), "30 06 00 01 74 02 0b 01").specRef()).isEqualTo("MQTT-3.3.4-6");
    }

    @Test
    void topicAliasZeroIsAProtocolError() {
        assertThat(malformed(connected(CONNECT_5), "30 07 00 01 74 03 23 00 00").reasonCode())
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void emptyTopicWithoutAliasOn5() {
        assertThat(malformed(connected(CONNECT_5), "30 03 00 00 00").reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void trailingBytesInsideAPacket() {
        assertThat(malformed(connected(CONNECT_311), "40 03 00 01 00").reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void authOn311IsMalformed() {
        assertThat(malformed(connected(CONNECT_311), "f0 00").reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void randomAndMutatedBytesNeverThrow() {
        Random random = new Random(42);
        byte[] valid = ByteBufUtil.decodeHexDump(("30 05 00 01 74 68 69 82 06 00 01 00 01 61 01 c0 00").replace(" ", ""));
        List<String> kinds = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            MqttDecoder d = connected(round % 2 == 0 ? CONNECT_311 : CONNECT_5);
            byte[] bytes;
            if (round % 3 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                bytes = valid.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            for (int guard = 0; guard < 100; guard++) {
                DecodeResult r = d.decode(buf);
                if (r == null || r instanceof MalformedPacket) {
                    if (r != null) {
                        kinds.add(((MalformedPacket) r).specRef());
                    }
                    break;
                }
                if (r instanceof Publish p) {
                    p.payload().release();
                }
            }
        }
        assertThat(kinds).isNotEmpty();
    }

    @Test
    void aLargePayloadIsASliceOfTheInputNotACopy() {
        MqttDecoder d = new MqttDecoder(1 << 20);
        d.decode(hex(CONNECT_311));
        int n = MqttDecoder.SLICE_PAYLOAD_FROM;
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x30);
        int remaining = 2 + 1 + n;
        while (remaining > 0x7F) {
            in.writeByte((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        in.writeByte(remaining);
        in.writeShort(1).writeByte('t');
        in.writeZero(n);
        Publish p = (Publish) d.decode(in);
        assertThat(p.payload().readableBytes()).isEqualTo(n);
        assertThat(in.refCnt()).as("the payload holds the input buffer, not a copy").isEqualTo(2);
        p.payload().release();
        assertThat(in.refCnt()).isEqualTo(1);
        // Below the threshold the payload is copied, so nothing holds the input.
        ByteBuf small = hex("30 04 00 01 74 78");
        Publish q = (Publish) d.decode(small);
        assertThat(small.refCnt()).isEqualTo(1);
        assertThat(q.payload().readableBytes()).isEqualTo(1);
    }
}
