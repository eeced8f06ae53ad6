package io.vane.broker.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.broker.Message;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Publish;

/**
 * The QoS 0 PUBLISH of one routed message, encoded at most once per {@link EncodingKey} and RETAIN
 * flag and shared by every subscriber whose key it is: a fan-out to N browsers encodes and frames once
 * and copies the payload once, whatever N is. Lives for one routing call on the publisher's thread;
 * each delivery holds its own retained duplicate.
 */
public final class SharedEncoding {
    /** Few distinct keys exist (two families, a framing or two), so a short list beats a map. */
    private static final int MAX_SLOTS = 16;
    private final EncodingKey[] keys = new EncodingKey[MAX_SLOTS];
    private final boolean[] retains = new boolean[MAX_SLOTS];
    private final ByteBuf[] encodings = new ByteBuf[MAX_SLOTS];
    private int size;
    private Message message;

    public void reset(Message m) {
        message = m;
    }

    /** A retained duplicate of the encoded packet for this key and flag, or null when no slot is left. */
    public ByteBuf duplicateFor(EncodingKey key, boolean retain) {
        ByteBuf encoded = cached(key, retain);
        if (encoded == null) {
            if (key.framing() == null) {
                Publish p = new Publish(message.topic(), 0, retain, false, 0,
                        key.v5() ? message.properties() : Properties.NONE, Unpooled.wrappedBuffer(message.payload()));
                encoded = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, key.encodingVersion());
            } else {
                ByteBuf plain = duplicateFor(key.plain(), retain);
                if (plain == null) {
                    return null;
                }
                encoded = key.framing().frame(plain);
            }
            if (size == MAX_SLOTS) {
                encoded.release();
                return null;
            }
            keys[size] = key;
            retains[size] = retain;
            encodings[size] = encoded;
            size++;
        }
        return encoded.retainedDuplicate();
    }

    private ByteBuf cached(EncodingKey key, boolean retain) {
        for (int i = 0; i < size; i++) {
            if (retains[i] == retain && keys[i].sameAs(key)) {
                return encodings[i];
            }
        }
        return null;
    }

    /** Drops this call's own references; the deliveries keep theirs. */
    public void release() {
        for (int i = 0; i < size; i++) {
            encodings[i].release();
            encodings[i] = null;
            keys[i] = null;
        }
        size = 0;
        message = null;
    }
}
