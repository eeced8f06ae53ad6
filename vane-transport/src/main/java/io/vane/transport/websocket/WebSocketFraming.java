package io.vane.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.broker.delivery.Framing;

/**
 * RFC 6455 framing of outbound MQTT packets: one unmasked, final binary frame per packet. A server's
 * frames are not masked (section 5.1), so every browser gets the same frame bytes and a fan-out frames
 * once instead of once per subscriber. Stateless.
 */
public final class WebSocketFraming implements Framing {
    public static final WebSocketFraming INSTANCE = new WebSocketFraming();
    /** Frames below this size are copied into one buffer. */
    public static final int COPY_FRAME_BELOW = 1024;

    private WebSocketFraming() {
    }

    /**
     * One binary frame around the packet (section 5.2); takes ownership of {@code packet}. Small frames
     * are one buffer (one copy of the packet); from {@value #COPY_FRAME_BELOW} bytes the header and the
     * packet stay apart, so nothing is copied.
     */
    @Override
    public ByteBuf frame(ByteBuf packet) {
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

    @Override
    public int headerLength(ByteBuf frame) {
        int length = frame.getByte(frame.readerIndex() + 1) & 0x7F;
        return length < 126 ? 2 : length == 126 ? 4 : 10;
    }

    @Override
    public String toString() {
        return "websocket";
    }
}
