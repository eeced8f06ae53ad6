package io.vane.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Splits the inbound byte stream into MQTT packets and hands each to a {@link Sink} without creating
 * objects: at a million deliveries a second the generator must cost less than the broker it measures.
 */
final class FrameReader extends ByteToMessageDecoder {

    /** Receives one packet: its first byte, and its body at {@code buf[offset, offset + length)}. */
    interface Sink {
        void packet(int header, ByteBuf buf, int offset, int length);
    }

    private final Sink sink;

    FrameReader(Sink sink) {
        this.sink = sink;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int header = in.getUnsignedByte(start);
            int length = 0;
            int shift = 0;
            int pos = start + 1;
            int digit;
            do {
                if (pos >= in.writerIndex()) {
                    return;
                }
                digit = in.getUnsignedByte(pos++);
                length |= (digit & 0x7F) << shift;
                shift += 7;
                if (shift > 21 && (digit & 0x80) != 0) {
                    throw new DecoderException("bad remaining length");
                }
            } while ((digit & 0x80) != 0);
            if (in.writerIndex() - pos < length) {
                return;
            }
            sink.packet(header, in, pos, length);
            in.readerIndex(pos + length);
        }
    }
}
