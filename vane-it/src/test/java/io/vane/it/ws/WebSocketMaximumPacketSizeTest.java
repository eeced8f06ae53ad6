package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.RawClient;
import io.vane.transport.websocket.RawWebSocket;
import org.junit.jupiter.api.Test;

/**
 * [MQTT-3.1.2-24]: the server must not send a 5.0 client packets larger than the Maximum Packet Size
 * it asked for, and [MQTT-3.1.2-25] drops them instead. The limit counts MQTT bytes: over WebSockets
 * the frame header is not part of the packet, so a packet of exactly the maximum is delivered.
 */
class WebSocketMaximumPacketSizeTest {
    private static final int MAX = 100;

    private static byte[] bytes(MqttPacket p) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void aPacketOfExactlyTheClientsMaximumArrivesOverWebSocketsAndOneByteMoreDoesNot() throws Exception {
        try (WsBroker broker = new WsBroker();
                RawWebSocket ws = RawWebSocket.upgrade(broker.wsPort(), "mqtt");
                RawClient publisher = RawClient.open("127.0.0.1", broker.tcpPort())) {
            ws.sendBinary(bytes(new Connect(MqttVersion.V5, "mps", true, 0, null, null, null,
                    Properties.builder().maximumPacketSize((long) MAX).build())));
            assertThat(ws.readFrame().payload()[0] & 0xF0).isEqualTo(0x20); // CONNACK
            ws.sendBinary(bytes(new Subscribe(1, java.util.List.of(Subscription.of("t", 0)), Properties.NONE)));
            assertThat(ws.readFrame().payload()[0] & 0xF0).isEqualTo(0x90); // SUBACK

            publisher.connect(MqttVersion.V5, "mps-publisher");
            // A 5.0 QoS 0 PUBLISH on "t" with no properties is 6 bytes plus the payload.
            for (int payload : new int[] {MAX - 6 + 1, MAX - 6}) {
                publisher.send(new Publish("t", 0, false, false, 0, Properties.NONE,
                        Unpooled.wrappedBuffer(new byte[payload])));
            }
            RawWebSocket.Frame frame = ws.readFrame();
            assertThat(frame.payload()[0] & 0xF0).isEqualTo(0x30);
            assertThat(frame.payload()).as("the packet of exactly the maximum, not the one above it").hasSize(MAX);
        }
    }
}
