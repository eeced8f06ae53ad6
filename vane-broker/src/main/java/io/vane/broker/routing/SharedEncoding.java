package io.vane.broker.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.broker.session.WireFormat;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Publish;

/**
 * The QoS 0 PUBLISH of one routed message, encoded at most once per {@link WireFormat} and RETAIN
 * flag and shared by every subscriber that can take the bytes as they are: a fan-out to N browsers
 * encodes and frames once and copies the payload once, whatever N is. Lives for one
 * {@link Router#route} call on the publisher's thread; each delivery holds its own retained duplicate.
 */
final class SharedEncoding {
    private final ByteBuf[] cache = new ByteBuf[WireFormat.values().length * 2];
    private Message message;

    void reset(Message m) {
        message = m;
    }

    /** A retained duplicate of the encoded packet for this format and flag. */
    ByteBuf duplicateFor(WireFormat format, boolean retain) {
        int slot = slot(format, retain);
        ByteBuf encoded = cache[slot];
        if (encoded == null) {
            encoded = format.isWebSocket()
                    ? WireFormat.webSocketFrame(plain(WireFormat.of(format.encodingVersion(), false), retain)
                            .retainedDuplicate())
                    : plain(format, retain);
            cache[slot] = encoded;
        }
        return encoded.retainedDuplicate();
    }

    private static int slot(WireFormat format, boolean retain) {
        return format.ordinal() * 2 + (retain ? 1 : 0);
    }

    /** The plain packet from the cache, encoded and cached first if needed; the cache keeps the reference. */
    private ByteBuf plain(WireFormat plain, boolean retain) {
        int slot = slot(plain, retain);
        ByteBuf cached = cache[slot];
        if (cached == null) {
            Publish p = new Publish(message.topic(), 0, retain, false, 0,
                    plain.isV5() ? message.properties() : Properties.NONE, Unpooled.wrappedBuffer(message.payload()));
            cached = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, plain.encodingVersion());
            cache[slot] = cached;
        }
        return cached;
    }

    /** Drops this call's own references; the deliveries keep theirs. */
    void release() {
        for (int i = 0; i < cache.length; i++) {
            if (cache[i] != null) {
                cache[i].release();
                cache[i] = null;
            }
        }
        message = null;
    }
}
