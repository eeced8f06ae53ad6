package io.vane.broker.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.broker.session.WireFormat;
import io.vane.protocol.MqttVersion;
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
        int slot = format.ordinal() * 2 + (retain ? 1 : 0);
        ByteBuf encoded = cache[slot];
        if (encoded == null) {
            encoded = format.isWebSocket()
                    ? WireFormat.webSocketFrame(packet(WireFormat.of(format.encodingVersion(), false), retain))
                    : packet(format, retain);
            cache[slot] = encoded;
        }
        return encoded.retainedDuplicate();
    }

    /** The plain packet, encoded or taken from the cache; the caller gets its own reference. */
    private ByteBuf packet(WireFormat plain, boolean retain) {
        int slot = plain.ordinal() * 2 + (retain ? 1 : 0);
        ByteBuf cached = cache[slot];
        if (cached != null) {
            return cached.retainedDuplicate();
        }
        MqttVersion version = plain.encodingVersion();
        Publish p = new Publish(message.topic(), 0, retain, false, 0,
                plain.isV5() ? message.properties() : Properties.NONE, Unpooled.wrappedBuffer(message.payload()));
        ByteBuf encoded = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, version);
        cache[slot] = encoded;
        return encoded.retainedDuplicate();
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
