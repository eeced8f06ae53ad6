package io.vane.broker;

import io.vane.protocol.Properties;

/**
 * An application message as the broker routes it: immutable and shared by every subscriber it goes
 * to, so a fan-out holds one copy of the payload however many sessions queue it.
 *
 * @param topic the topic name (never an alias)
 * @param payload the payload bytes; never modified after construction
 * @param qos the QoS it was published with
 * @param retain the RETAIN flag it was published with
 * @param properties 5.0 properties passed through to subscribers (no Topic Alias, no Subscription
 *     Identifiers, no Message Expiry Interval: expiry is {@code expiresAtMillis})
 * @param expiresAtMillis wall-clock time after which it must not be delivered, or {@link Long#MAX_VALUE}
 * @param publisherId the client id of the publisher, for No Local; null for messages from inside the broker
 */
public record Message(String topic, byte[] payload, int qos, boolean retain, Properties properties,
        long expiresAtMillis, String publisherId) {

    public static final long NEVER = Long.MAX_VALUE;

    /** A message from inside the broker ($SYS, device sources, embedders). */
    public static Message of(String topic, byte[] payload, int qos, boolean retain) {
        return new Message(topic, payload, qos, retain, Properties.NONE, NEVER, null);
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** Whole seconds left before expiry, at least 1, for the Message Expiry Interval sent on [MQTT-3.3.2-6]. */
    public long remainingSeconds(long nowMillis) {
        return Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    public Message withRetain(boolean newRetain) {
        return newRetain == retain ? this
                : new Message(topic, payload, qos, newRetain, properties, expiresAtMillis, publisherId);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", q" + qos + ", r" + (retain ? 1 : 0) + ", " + payload.length + " bytes]";
    }
}
