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

    /** Where an online session's queue makes its publishers wait (docs/decisions/0002): three quarters. */
    static final int PACE_DEFAULT_MESSAGES = 1000;

    boolean isFull(int messages, long bytes) {
        return isFull(messages, bytes, 1);
    }

    /**
     * Full at {@code factor} times the limits: while publishers are paused for an online session, the
     * messages already read from them may take it past its limit rather than be dropped.
     */
    boolean isFull(int messages, long bytes, int factor) {
        return (maxMessages > 0 && messages >= (long) maxMessages * factor)
                || (maxBytes > 0 && bytes >= maxBytes * factor);
    }

    /** At or above this the session is congested: its publishers wait. */
    boolean isHigh(int messages, long bytes) {
        int max = maxMessages > 0 ? maxMessages : PACE_DEFAULT_MESSAGES;
        return messages >= Math.max(1, max * 3L / 4) || (maxBytes > 0 && bytes >= maxBytes * 3 / 4);
    }

    /** {@link #isHigh} by count alone, for routing threads that see only counts. */
    boolean isHighCount(int messages) {
        int max = maxMessages > 0 ? maxMessages : PACE_DEFAULT_MESSAGES;
        return messages >= Math.max(1, max * 3L / 4);
    }

    boolean isLowCount(int messages) {
        int max = maxMessages > 0 ? maxMessages : PACE_DEFAULT_MESSAGES;
        return messages <= max / 2;
    }

    /** At or below this a congested session lets its publishers go on. */
    boolean isLow(int messages, long bytes) {
        int max = maxMessages > 0 ? maxMessages : PACE_DEFAULT_MESSAGES;
        return messages <= max / 2 && (maxBytes <= 0 || bytes <= maxBytes / 2);
    }
}
