package io.vane.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.broker.delivery.EncodingKey;
import io.vane.protocol.MqttVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WebSocket frames as RFC 6455 section 5.2 lays them out, for every length encoding. */
class WebSocketFramingTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 1000, 1019, 1020, 1021, 65_535, 65_536, 70_000})
    void frameIsAFinalUnmaskedBinaryFrameAroundThePacket(int length) {
        byte[] packet = new byte[length];
        for (int i = 0; i < length; i++) {
            packet[i] = (byte) (i * 31 + 7);
        }
        ByteBuf source = Unpooled.directBuffer(length).writeBytes(packet);
        ByteBuf frame = WebSocketFraming.INSTANCE.frame(source);
        try {
            // FIN + opcode 2 (binary); the mask bit is clear.
            assertThat(frame.getUnsignedByte(0)).isEqualTo((short) 0x82);
            int marker = frame.getUnsignedByte(1);
            assertThat(marker & 0x80).isZero();
            int header;
            long declared;
            if (length < 126) {
                header = 2;
                declared = marker;
            } else if (length <= 0xFFFF) {
                assertThat(marker).isEqualTo(126);
                header = 4;
                declared = frame.getUnsignedShort(2);
            } else {
                assertThat(marker).isEqualTo(127);
                header = 10;
                declared = frame.getLong(2);
            }
            assertThat(declared).isEqualTo(length);
            assertThat(WebSocketFraming.INSTANCE.headerLength(frame)).isEqualTo(header);
            assertThat(frame.readableBytes()).isEqualTo(header + length);
            assertThat(ByteBufUtil.getBytes(frame, header, length)).isEqualTo(packet);
        } finally {
            frame.release();
        }
        assertThat(source.refCnt()).as("the packet is owned and released with the frame").isZero();
    }

    @Test
    void keysByVersionAndFraming() {
        assertThat(EncodingKey.of(MqttVersion.V3_1, null)).isEqualTo(EncodingKey.of(MqttVersion.V3_1_1, null));
        assertThat(EncodingKey.of(MqttVersion.V5, WebSocketFraming.INSTANCE))
                .isNotEqualTo(EncodingKey.of(MqttVersion.V5, null))
                .isEqualTo(new EncodingKey(true, WebSocketFraming.INSTANCE));
        assertThat(EncodingKey.of(MqttVersion.V5, WebSocketFraming.INSTANCE).encodingVersion()).isEqualTo(MqttVersion.V5);
        assertThat(EncodingKey.of(MqttVersion.V3_1, WebSocketFraming.INSTANCE).plain())
                .isEqualTo(EncodingKey.of(MqttVersion.V3_1_1, null));
    }
}
