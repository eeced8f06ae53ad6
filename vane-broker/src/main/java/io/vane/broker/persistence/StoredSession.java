package io.vane.broker.persistence;

import io.vane.broker.delivery.Outgoing;
import io.vane.broker.session.SubscriptionRecord;
import java.util.List;

/**
 * A persistent session as the store kept it, handed to the broker at start-up.
 *
 * @param clientId the client id
 * @param expirySeconds the Session Expiry Interval in force (0xFFFFFFFF: never)
 * @param disconnectedAtMillis when its connection ended, or -1 when it was connected when the broker
 *     stopped (its expiry then counts from the restart)
 * @param subscriptions its subscriptions with all their options
 * @param queued the messages waiting for it, oldest first
 * @param inflight the QoS 1/2 messages sent and not completed, in send order
 * @param inboundQos2 the inbound QoS 2 packet ids awaiting PUBREL
 * @param pendingWill a will waiting for its Will Delay Interval, or null
 * @param willAtMillis when {@code pendingWill} is due
 * @param username the user the session's client last logged in as, or null (anonymous, or not known)
 * @param listenerPort the listener it last came in on (per-listener rules), or 0 when not known
 */
public record StoredSession(String clientId, long expirySeconds, long disconnectedAtMillis,
        List<SubscriptionRecord> subscriptions, List<Outgoing> queued, List<InflightEntry> inflight,
        List<Integer> inboundQos2, io.vane.broker.Message pendingWill, long willAtMillis, String username,
        int listenerPort) {

    /** Without who the client was (a session imported from Mosquitto's file). */
    public StoredSession(String clientId, long expirySeconds, long disconnectedAtMillis,
            List<SubscriptionRecord> subscriptions, List<Outgoing> queued, List<InflightEntry> inflight,
            List<Integer> inboundQos2, io.vane.broker.Message pendingWill, long willAtMillis) {
        this(clientId, expirySeconds, disconnectedAtMillis, subscriptions, queued, inflight, inboundQos2, pendingWill,
                willAtMillis, null, 0);
    }

    /** A session without a pending will. */
    public StoredSession(String clientId, long expirySeconds, long disconnectedAtMillis,
            List<SubscriptionRecord> subscriptions, List<Outgoing> queued, List<InflightEntry> inflight,
            List<Integer> inboundQos2) {
        this(clientId, expirySeconds, disconnectedAtMillis, subscriptions, queued, inflight, inboundQos2, null, 0, null,
                0);
    }

    /**
     * One outbound flow in progress.
     *
     * @param released true once PUBREC came and PUBREL is what is to be sent again
     */
    public record InflightEntry(int packetId, Outgoing outgoing, boolean released) {
    }
}
