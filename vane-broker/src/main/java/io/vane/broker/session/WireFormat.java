package io.vane.broker.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;

/**
 * The bytes a connection can take from a fan-out's shared encoding: the PUBLISH of one protocol
 * family, either as it is (TCP, TLS) or already inside a WebSocket binary frame. A server's WebSocket
 * frames are not masked (RFC 6455 section 5.1), so every browser gets the same frame bytes, and a
 * fan-out frames once instead of once per subscriber.
 */
public enum WireFormat {
    MQTT_3(false, false),
    MQTT_5(true, false),
    WEBSOCKET_MQTT_3(false, true),
    WEBSOCKET_MQTT_5(true, true);

    private final boolean v5;
    private final boolean webSocket;

    WireFormat(boolean v5, boolean webSocket) {
        this.v5 = v5;
        this.webSocket = webSocket;
    }

    /** The format for a connection of this version, framed for WebSockets or not. */
    public static WireFormat of(MqttVersion version, boolean webSocket) {
        boolean five = version == MqttVersion.V5;
        if (webSocket) {
            return five ? WEBSOCKET_MQTT_5 : WEBSOCKET_MQTT_3;
        }
        return five ? MQTT_5 : MQTT_3;
    }

    /** The version to encode with; 3.1 and 3.1.1 PUBLISH bytes are the same. */
    public MqttVersion encodingVersion() {
        return v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    }

    public boolean isV5() {
        return v5;
    }

    public boolean isWebSocket() {
        return webSocket;
    }

    /** Frames below this size are copied into one buffer. */
    public static final int COPY_FRAME_BELOW = 1024;

    /**
     * One unmasked, final binary WebSocket frame around the packet (RFC 6455 section 5.2); takes
     * ownership of {@code packet}. Small frames are one buffer (one copy of the packet); from
     * {@value #COPY_FRAME_BELOW} bytes the header and the packet stay apart, so nothing is copied.
     */
    public static ByteBuf webSocketFrame(ByteBuf packet) {
        int length = packet.readableBytes();
        int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        boolean copy = headerLength + length < COPY_FRAME_BELOW;
        ByteBuf header = ByteBufAllocator.DEFAULT.directBuffer(copy ? headerLength + length : headerLength);
        header.writeByte(0x82);
        if (length < 126) {
            header.writeByte(length);
        } else if (length <= 0xFFFF) {
            header.writeByte(126).writeShort(length);
        } else {
            header.writeByte(127).writeLong(length);
        }
        if (copy) {
            header.writeBytes(packet);
            packet.release();
            return header;
        }
        return Unpooled.wrappedBuffer(header, packet);
    }

    /** The length of the header of an unmasked frame made by {@link #webSocketFrame}. */
    public static int webSocketHeaderLength(ByteBuf frame) {
        int length = frame.getByte(frame.readerIndex() + 1) & 0x7F;
        return length < 126 ? 2 : length == 126 ? 4 : 10;
    }
}
