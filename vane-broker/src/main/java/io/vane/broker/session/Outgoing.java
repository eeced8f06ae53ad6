package io.vane.broker.session;

import io.vane.broker.Message;

/**
 * One message on its way to one session: the shared message plus what this subscriber's
 * subscription made of it.
 *
 * @param qos the QoS granted for this delivery: min(published, subscribed) [MQTT-3.8.4-8]
 * @param retain the RETAIN flag to send (retain-as-published or a retained message on subscribe)
 * @param subscriptionIds the 5.0 Subscription Identifiers of the matching subscriptions, may be empty
 */
public record Outgoing(Message message, int qos, boolean retain, int[] subscriptionIds) {
    private static final int[] NONE = new int[0];

    public static Outgoing of(Message message, int qos, boolean retain) {
        return new Outgoing(message, qos, retain, NONE);
    }
}
