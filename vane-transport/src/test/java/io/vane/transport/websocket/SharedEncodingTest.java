package io.vane.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.SharedEncoding;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One encoding per format for a whole fan-out, framed once for WebSocket subscribers. */
class SharedEncodingTest {
    private static final EncodingKey MQTT_3 = EncodingKey.of(MqttVersion.V3_1_1, null);
    private static final EncodingKey MQTT_5 = EncodingKey.of(MqttVersion.V5, null);
    private static final EncodingKey WEBSOCKET_MQTT_3 = EncodingKey.of(MqttVersion.V3_1_1, WebSocketFraming.INSTANCE);
    private static final EncodingKey WEBSOCKET_MQTT_5 = EncodingKey.of(MqttVersion.V5, WebSocketFraming.INSTANCE);

    private static byte[] plain(Message m, MqttVersion v, boolean retain) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT,
                new Publish(m.topic(), 0, retain, false, 0, Properties.NONE, Unpooled.wrappedBuffer(m.payload())), v);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /**
     * Where a buffer's readable bytes live. Not {@code unwrap()} identity: Netty's leak detector wraps a
     * sampled allocation (about one in 128) so that each duplicate unwraps to its own object, which made
     * an identity check fail now and then although the bytes were shared.
     */
    private static String memory(ByteBuf b) {
        if (b.hasMemoryAddress()) {
            return "direct@" + (b.memoryAddress() + b.readerIndex());
        }
        if (b.hasArray()) {
            return "heap@" + System.identityHashCode(b.array()) + "+" + (b.arrayOffset() + b.readerIndex());
        }
        throw new AssertionError("cannot tell where " + b + " keeps its bytes");
    }

    @Test
    void webSocketSubscribersGetThePacketInOneSharedFrame() {
        Message m = Message.of("weather/loop", "{\"outTemp_C\": 20.5}".getBytes(StandardCharsets.UTF_8), 0, false);
        SharedEncoding shared = new SharedEncoding();
        shared.reset(m);
        List<ByteBuf> deliveries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deliveries.add(shared.duplicateFor(WEBSOCKET_MQTT_3, false));
            deliveries.add(shared.duplicateFor(MQTT_3, false));
        }
        shared.release();

        byte[] packet = plain(m, MqttVersion.V3_1_1, false);
        for (int i = 0; i < deliveries.size(); i += 2) {
            ByteBuf ws = deliveries.get(i);
            assertThat(ws.getUnsignedByte(ws.readerIndex())).isEqualTo((short) 0x82);
            assertThat(ws.getUnsignedByte(ws.readerIndex() + 1)).isEqualTo((short) packet.length);
            assertThat(ByteBufUtil.getBytes(ws, ws.readerIndex() + 2, packet.length)).isEqualTo(packet);
            assertThat(ByteBufUtil.getBytes(deliveries.get(i + 1))).isEqualTo(packet);
        }
        // Every WebSocket delivery reads the same memory: framed once, not per subscriber.
        assertThat(memory(deliveries.get(0))).isEqualTo(memory(deliveries.get(2))).isEqualTo(memory(deliveries.get(4)));
        assertThat(memory(deliveries.get(1))).isEqualTo(memory(deliveries.get(3)));
        assertThat(memory(deliveries.get(0))).isNotEqualTo(memory(deliveries.get(1)));

        ByteBuf frame = deliveries.get(0).unwrap();
        ByteBuf tcp = deliveries.get(1).unwrap();
        deliveries.forEach(ByteBuf::release);
        assertThat(frame.refCnt()).isZero();
        assertThat(tcp.refCnt()).isZero();
    }

    @Test
    void largePayloadsAreFramedWithoutACopy() {
        byte[] payload = new byte[5000];
        Message m = Message.of("big", payload, 0, true);
        SharedEncoding shared = new SharedEncoding();
        shared.reset(m);
        ByteBuf ws = shared.duplicateFor(WEBSOCKET_MQTT_5, true);
        shared.release();
        byte[] packet = plain(m, MqttVersion.V5, true);
        assertThat(ws.readableBytes()).isEqualTo(4 + packet.length);
        assertThat(ByteBufUtil.getBytes(ws, ws.readerIndex() + 4, packet.length)).isEqualTo(packet);
        ws.release();
        assertThat(ws.refCnt()).isZero();
    }

    @Test
    void everyReferenceIsReleasedWhateverFormatComesFirst() {
        Message m = Message.of("dsmr/reading", "{\"power_w\": 412}".getBytes(StandardCharsets.UTF_8), 0, false);
        for (boolean plainFirst : new boolean[] {true, false}) {
            SharedEncoding shared = new SharedEncoding();
            shared.reset(m);
            List<ByteBuf> deliveries = new ArrayList<>();
            EncodingKey first = plainFirst ? MQTT_3 : WEBSOCKET_MQTT_3;
            EncodingKey second = plainFirst ? WEBSOCKET_MQTT_3 : MQTT_3;
            deliveries.add(shared.duplicateFor(first, false));
            deliveries.add(shared.duplicateFor(first, false));
            deliveries.add(shared.duplicateFor(second, false));
            shared.release();
            List<ByteBuf> roots = deliveries.stream().map(ByteBuf::unwrap).toList();
            deliveries.forEach(ByteBuf::release);
            assertThat(roots).as("plain first: " + plainFirst).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        }
    }

    @Test
    void aPlainOnlyFanOutLeavesNoReference() {
        Message m = Message.of("weather/loop", new byte[64], 0, false);
        SharedEncoding shared = new SharedEncoding();
        shared.reset(m);
        ByteBuf a = shared.duplicateFor(MQTT_5, false);
        ByteBuf b = shared.duplicateFor(MQTT_5, false);
        shared.release();
        ByteBuf root = a.unwrap();
        assertThat(memory(b)).isEqualTo(memory(a));
        a.release();
        assertThat(root.refCnt()).isEqualTo(1);
        b.release();
        assertThat(root.refCnt()).isZero();
    }
}
