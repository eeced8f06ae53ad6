package io.vane.broker.session;

/**
 * Per-session limits on messages waiting beyond the in-flight window.
 *
 * @param maxMessages max_queued_messages (0 = no limit)
 * @param maxBytes max_queued_bytes (0 = no limit)
 * @param queueQos0 queue_qos0_messages: keep QoS 0 messages for offline sessions
 */
public record QueueLimits(int maxMessages, long maxBytes, boolean queueQos0) {

    boolean isFull(int messages, long bytes) {
        return (maxMessages > 0 && messages >= maxMessages) || (maxBytes > 0 && bytes >= maxBytes);
    }
}
