package io.vane.broker.delivery;

import io.netty.buffer.ByteBuf;
import io.vane.broker.Message;

/**
 * One message on its way to one session: the shared message plus what this subscriber's
 * subscription made of it.
 *
 * @param qos the QoS granted for this delivery: min(published, subscribed) [MQTT-3.8.4-8]
 * @param retain the RETAIN flag to send (retain-as-published or a retained message on subscribe)
 * @param subscriptionIds the 5.0 Subscription Identifiers of the matching subscriptions, may be empty
 * @param encoded the whole PUBLISH already encoded once for every subscriber of a fan-out, as this
 *     delivery's own retained duplicate; null when the connection encodes it itself. Whoever drops or
 *     writes the delivery releases it, once.
 * @param encodedFor the key {@code encoded} was made for; a connection with another key must not
 *     write those bytes (it releases them and encodes the message itself)
 */
public record Outgoing(Message message, int qos, boolean retain, int[] subscriptionIds, ByteBuf encoded,
        EncodingKey encodedFor) {
    private static final int[] NONE = new int[0];

    public Outgoing(Message message, int qos, boolean retain, int[] subscriptionIds) {
        this(message, qos, retain, subscriptionIds, null, null);
    }

    public static Outgoing of(Message message, int qos, boolean retain) {
        return new Outgoing(message, qos, retain, NONE, null, null);
    }

    /** Releases the shared encoding, if any, and returns the delivery without it (to queue or re-encode). */
    public Outgoing withoutEncoded() {
        if (encoded == null) {
            return this;
        }
        encoded.release();
        return new Outgoing(message, qos, retain, subscriptionIds, null, null);
    }

    /** Releases the shared encoding, if any, when the delivery is dropped or handled without it. */
    public void releaseEncoded() {
        if (encoded != null) {
            encoded.release();
        }
    }

    /** Whether the shared bytes were made for a link with this key. */
    public boolean encodedMatches(EncodingKey key) {
        return encoded != null && key != null && key.sameAs(encodedFor);
    }
}
