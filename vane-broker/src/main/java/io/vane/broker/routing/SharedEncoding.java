package io.vane.broker.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.packet.Publish;

/**
 * The QoS 0 PUBLISH of one routed message, encoded at most once per protocol family and RETAIN flag
 * and shared by every subscriber that can take the bytes as they are: a fan-out to N browsers encodes
 * once and copies the payload once, whatever N is. Lives for one {@link Router#route} call on the
 * publisher's thread; each delivery holds its own retained duplicate.
 */
final class SharedEncoding {
    private final ByteBuf[] cache = new ByteBuf[4];
    private Message message;

    void reset(Message m) {
        message = m;
    }

    /** A retained duplicate of the encoded packet for this version and flag. */
    ByteBuf duplicateFor(MqttVersion version, boolean retain) {
        int slot = (version == MqttVersion.V5 ? 2 : 0) + (retain ? 1 : 0);
        ByteBuf encoded = cache[slot];
        if (encoded == null) {
            Publish p = new Publish(message.topic(), 0, retain, false, 0,
                    version == MqttVersion.V5 ? message.properties() : io.vane.protocol.Properties.NONE,
                    Unpooled.wrappedBuffer(message.payload()));
            // 3.1 and 3.1.1 PUBLISH bytes are the same; the family is all that matters.
            encoded = io.vane.protocol.codec.MqttEncoder.encode(ByteBufAllocator.DEFAULT, p,
                    version == MqttVersion.V5 ? MqttVersion.V5 : MqttVersion.V3_1_1);
            cache[slot] = encoded;
        }
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
