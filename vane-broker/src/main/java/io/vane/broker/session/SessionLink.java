package io.vane.broker.session;

import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;

import io.vane.protocol.MqttVersion;

/** What a session needs from the connection it is attached to. Called on the session's owner thread. */
public interface SessionLink {

    /**
     * Sends a PUBLISH; returns false when it was dropped (too large for the client, see [MQTT-3.1.2-25]).
     * Takes ownership of {@code outgoing.encoded()}.
     */
    boolean sendPublish(Outgoing outgoing, int packetId, boolean dup);

    void sendPubRel(int packetId);

    /** False while the connection's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /**
     * True while the connection is behind for the moment: above its high-water mark but still reading
     * within its QoS 0 grace. Publishers feeding it wait instead of its QoS 0 being dropped (decision 0002).
     */
    default boolean isBehind() {
        return false;
    }

    /** How many QoS 1/2 messages the client accepts in flight: min(its Receive Maximum, max_inflight_messages). */
    int sendWindow();

    /**
     * The shared, encode-once PUBLISH bytes this link can take as they are, or null when it needs its
     * own encoding (it uses outbound topic aliases, or it is not a socket). Read once, at attach, on the
     * owner; must not change while attached.
     */
    EncodingKey encodingKey();

    /** Another connection claimed this link's client id [MQTT-3.1.4-3]: end this link (5.0: 0x8E). */
    void takenOver();

    /** Ends the connection from the server's side, with a 5.0 DISCONNECT carrying the reason. */
    void disconnect(int reasonCode, String reason);
}
