package io.vane.broker.session;

/**
 * Limits on messages waiting beyond the in-flight window: per session, and the broker-wide budget
 * every session's queue draws from.
 *
 * @param maxMessages max_queued_messages (0 = no limit)
 * @param maxBytes max_queued_bytes (0 = no limit)
 * @param queueQos0 queue_qos0_messages: keep QoS 0 messages for offline sessions
 * @param budget global_max_queued_bytes, shared by all sessions
 */
public record QueueLimits(int maxMessages, long maxBytes, boolean queueQos0, QueueBudget budget) {

    /** Per-session limits only. */
    public QueueLimits(int maxMessages, long maxBytes, boolean queueQos0) {
        this(maxMessages, maxBytes, queueQos0, QueueBudget.UNLIMITED);
    }

    boolean isFull(int messages, long bytes) {
        return (maxMessages > 0 && messages >= maxMessages) || (maxBytes > 0 && bytes >= maxBytes);
    }
}
