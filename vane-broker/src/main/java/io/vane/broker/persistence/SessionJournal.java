package io.vane.broker.persistence;

import io.vane.broker.delivery.Outgoing;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;

/**
 * Every change to a session's state, in the order it happens: the one place a durable store observes
 * sessions. The session's parts ({@code SubscriptionSet}, {@code MessageQueue}, {@code InflightWindow}
 * and the inbound QoS 2 ids) call it on each change, on the session's owner thread, after the change is
 * made in memory. Replaying the calls for one session from its last {@link #cleared} rebuilds its state.
 *
 * <p>Implementations must not block the owner thread: a durable journal buffers and writes on its own
 * thread, and the broker waits for its acknowledgements through {@code MessagePublisher}'s completion
 * stage, not here. {@link #IN_MEMORY} is the journal while storage is in memory: the sessions
 * themselves are the only copy, so there is nothing to write.
 */
public interface SessionJournal {

    /** Sessions live in memory only; every call is a no-op. */
    SessionJournal IN_MEMORY = new SessionJournal() {
    };

    /**
     * Completes once every change journaled so far for {@code session} is durable; SUBACK and UNSUBACK
     * wait for it (through the connection's ordered acknowledgements). In memory: at once.
     */
    default CompletionStage<Void> flushed(Session session) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The session is held by a connection that asked for this Session Expiry Interval: above 0 it is
     * kept (and, when it was not kept before, its whole state follows as ordinary calls); 0 means it is
     * no longer kept and whatever was stored for it is forgotten.
     */
    default void keptFor(Session session, long expirySeconds) {
    }

    /** The session's connection ended at {@code atMillis}; it is kept for {@code expirySeconds} more. */
    default void detached(Session session, long expirySeconds, long atMillis) {
    }

    /** A subscription was added or replaced (same filter). */
    default void subscribed(Session session, SubscriptionRecord subscription) {
    }

    /** The subscription to {@code filter} was removed. */
    default void unsubscribed(Session session, String filter) {
    }

    /** A message joined the tail of the queue (waiting for the window, or for the client to return). */
    default void queued(Session session, Outgoing message) {
    }

    /** The message at the head of the queue left it: sent, expired or dropped at attach. */
    default void dequeued(Session session, Outgoing message) {
    }

    /** A QoS 1/2 message was sent with {@code packetId} and now waits for PUBACK or PUBREC. */
    default void inflight(Session session, int packetId, Outgoing message) {
    }

    /**
     * The head of the queue was sent with {@code packetId}: one step, so a store replaces the queued
     * record by the in-flight one atomically and a crash between the two cannot lose the message.
     */
    default void sentFromQueue(Session session, int packetId, Outgoing message) {
        dequeued(session, message);
        inflight(session, packetId, message);
    }

    /** PUBREC arrived for {@code packetId}: the message is the client's; PUBREL was sent (QoS 2). */
    default void released(Session session, int packetId) {
    }

    /** The flow of {@code packetId} ended: PUBACK, PUBCOMP, a refusing PUBREC, or too large to resend. */
    default void completed(Session session, int packetId) {
    }

    /** An inbound QoS 2 packet id was recorded (PUBLISH received, PUBREL not yet). */
    default void inboundQos2(Session session, int packetId) {
    }

    /** PUBREL arrived for an inbound QoS 2 packet id. */
    default void inboundQos2Released(Session session, int packetId) {
    }

    /**
     * The session's connection ended with a will that waits for its delay: it is published at
     * {@code publishAtMillis} unless a connection resumes the session first [MQTT-3.1.3-9].
     */
    default void willPending(Session session, io.vane.broker.Message will, long publishAtMillis) {
    }

    /** The pending will was published or cancelled. */
    default void willCleared(Session session) {
    }

    /** All state was forgotten (Clean Start, or the session ended). */
    default void cleared(Session session) {
    }

    /** The session ended: expired, or its clean connection closed. Nothing of it is kept. */
    default void ended(Session session) {
    }
}
