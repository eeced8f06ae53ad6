package io.vane.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vane.broker.BrokerStats;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MalformedPacket;
import java.util.List;

/**
 * Bytes to packets: hands each complete packet, or the reason it is malformed, up the pipeline.
 * After a malformed packet it reads nothing more; the connection is about to close.
 */
final class MqttFrameDecoder extends ByteToMessageDecoder {
    private final MqttDecoder decoder;
    private final BrokerStats stats;
    private boolean failed;

    MqttFrameDecoder(int maximumPacketSize, BrokerStats stats) {
        this.decoder = new MqttDecoder(maximumPacketSize);
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        DecodeResult result = decoder.decode(in);
        if (result == null) {
            return;
        }
        if (result instanceof MalformedPacket) {
            failed = true;
            in.skipBytes(in.readableBytes());
        } else {
            stats.packetReceived(in.readerIndex() - start);
        }
        out.add(result);
    }
}
