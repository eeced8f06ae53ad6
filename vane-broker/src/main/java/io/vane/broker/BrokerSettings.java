package io.vane.broker;

import java.nio.file.Path;

/**
 * The broker's frozen, validated settings, named after Mosquitto's options. Built by the config
 * parser or by code that embeds Vane; {@link #defaults()} matches Mosquitto 2.0's defaults except for the
 * limits that keep one client from exhausting the heap (docs/decisions/0006-size-limits.md):
 * max_packet_size and the retained-message budgets are sized from the heap at start, where Mosquitto
 * has no limit.
 *
 * @param maxInflightMessages max_inflight_messages: QoS 1/2 messages in flight per client (0 = 65535)
 * @param maxQueuedMessages max_queued_messages: messages queued per client beyond the in-flight window (0 = no limit)
 * @param maxQueuedBytes max_queued_bytes: bytes queued per client (0 = no limit)
 * @param maxPacketSize max_packet_size: largest packet accepted from a client, in bytes (0 = the protocol's limit);
 *     by default {@link #heapMaxPacketSize()}
 * @param messageSizeLimit message_size_limit: largest PUBLISH payload accepted (0 = no limit)
 * @param maxKeepalive max_keepalive: largest keep-alive granted to a 5.0 client, in seconds
 * @param sysInterval sys_interval: seconds between $SYS updates (0 = off)
 * @param persistence persistence: keep sessions and retained messages on disk (storage comes later)
 * @param persistenceLocation persistence_location, or null for the working directory
 * @param retainAvailable retain_available
 * @param maxQos max_qos: highest QoS the broker supports
 * @param maxTopicAlias max_topic_alias: Topic Alias Maximum granted to 5.0 clients
 * @param allowZeroLengthClientid allow_zero_length_clientid
 * @param autoIdPrefix auto_id_prefix for assigned client identifiers
 * @param queueQos0Messages queue_qos0_messages: queue QoS 0 messages for offline persistent sessions
 * @param upgradeOutgoingQos upgrade_outgoing_qos
 * @param persistentClientExpiration persistent_client_expiration in seconds for 3.1.1 persistent sessions (0 = never)
 * @param maxTopicLevels max_topic_levels (Vane's own; Mosquitto's fixed TOPIC_HIERARCHY_LIMIT): most levels in a
 *     topic name or filter from a client (0 = no limit)
 * @param maxRetainedMessages max_retained_messages (Vane's own): retained messages kept (0 = no limit)
 * @param maxRetainedBytes max_retained_bytes (Vane's own): bytes of retained topics, payloads and properties
 *     kept (0 = no limit)
 * @param maxOfflineSessions max_offline_sessions (Vane's own): persistent sessions kept for clients not
 *     connected; a new one beyond it is refused (0 = no limit, {@link #AUTOMATIC} = sized to the heap)
 * @param globalMaxQueuedBytes global_max_queued_bytes (Vane's own): bytes queued across all sessions,
 *     payloads plus a fixed cost per message; beyond it new messages for queues are dropped and counted
 *     (0 = no limit, {@link #AUTOMATIC} = sized to the heap)
 * @param slowSubscriberTimeout slow_subscriber_timeout (Vane's own), seconds: publishers stop reading while
 *     an online subscriber's queue is past its high-water mark, for at most this long without progress;
 *     then that subscriber is treated as stalled and its full queue drops (0 = never wait: drop at once;
 *     docs/decisions/0002)
 * @param retainedPersistence retained_persistence (Mosquitto 2.1's name): with persistence on, whether
 *     retained messages are written to the store too (true) or kept in memory only (false)
 */
public record BrokerSettings(
        int maxInflightMessages,
        int maxQueuedMessages,
        long maxQueuedBytes,
        int maxPacketSize,
        long messageSizeLimit,
        int maxKeepalive,
        int sysInterval,
        boolean persistence,
        Path persistenceLocation,
        boolean retainAvailable,
        int maxQos,
        int maxTopicAlias,
        boolean allowZeroLengthClientid,
        String autoIdPrefix,
        boolean queueQos0Messages,
        boolean upgradeOutgoingQos,
        long persistentClientExpiration,
        int maxTopicLevels,
        long maxRetainedMessages,
        long maxRetainedBytes,
        long maxOfflineSessions,
        long globalMaxQueuedBytes,
        int slowSubscriberTimeout,
        boolean retainedPersistence) {

    /** slow_subscriber_timeout's default: long enough for a phone on a slow link, short for a dead one. */
    public static final int DEFAULT_SLOW_SUBSCRIBER_TIMEOUT = 10;

    /** A budget sized to the JVM's heap when the broker starts ({@link #resolve}). */
    public static final long AUTOMATIC = -1;

    /** Heap bytes allowed per offline session when sized automatically: an empty session's cost, 8x. */
    static final long HEAP_PER_OFFLINE_SESSION = 8 * 1024;

    /** The largest packet MQTT can express: 1 byte header, 4 bytes length, 268,435,455 bytes body. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    /** Mosquitto's TOPIC_HIERARCHY_LIMIT: it refuses a topic with more than 200 '/', so 201 levels pass. */
    public static final int DEFAULT_MAX_TOPIC_LEVELS = 201;

    /**
     * The default max_packet_size: 1/32 of the heap (8,110,080 bytes under the launcher's -Xmx256m), at least
     * 256 KiB, at most the protocol's limit. A packet is held whole once before it is handled, so this
     * lets 30 clients send their largest packet at once before the heap is at risk.
     */
    public static int heapMaxPacketSize() {
        long fraction = Runtime.getRuntime().maxMemory() / 32;
        return (int) Math.max(256 * 1024, Math.min(PROTOCOL_MAX_PACKET_SIZE, fraction));
    }

    /** The default max_retained_bytes: a quarter of the heap (61.9 MiB under -Xmx256m). */
    public static long heapMaxRetainedBytes() {
        return Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * The default max_retained_messages: one per 4 KiB of heap (63,360 under -Xmx256m), which bounds the
     * per-message overhead (trie nodes, the message record: a few hundred bytes) to about a tenth of it.
     */
    public static long heapMaxRetainedMessages() {
        return Math.max(1000, Runtime.getRuntime().maxMemory() / 4096);
    }

    /** Mosquitto 2.0's defaults, with the heap-sized limits above. */
    public static BrokerSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .maxInflightMessages(maxInflightMessages)
                .maxQueuedMessages(maxQueuedMessages)
                .maxQueuedBytes(maxQueuedBytes)
                .maxPacketSize(maxPacketSize)
                .messageSizeLimit(messageSizeLimit)
                .maxKeepalive(maxKeepalive)
                .sysInterval(sysInterval)
                .persistence(persistence)
                .persistenceLocation(persistenceLocation)
                .retainAvailable(retainAvailable)
                .maxQos(maxQos)
                .maxTopicAlias(maxTopicAlias)
                .allowZeroLengthClientid(allowZeroLengthClientid)
                .autoIdPrefix(autoIdPrefix)
                .queueQos0Messages(queueQos0Messages)
                .upgradeOutgoingQos(upgradeOutgoingQos)
                .persistentClientExpiration(persistentClientExpiration)
                .maxTopicLevels(maxTopicLevels)
                .maxRetainedMessages(maxRetainedMessages)
                .maxRetainedBytes(maxRetainedBytes)
                .maxOfflineSessions(maxOfflineSessions)
                .globalMaxQueuedBytes(globalMaxQueuedBytes)
                .slowSubscriberTimeout(slowSubscriberTimeout)
                .retainedPersistence(retainedPersistence);
    }

    /**
     * These settings with every {@link #AUTOMATIC} budget sized for a heap of {@code maxHeapBytes}: a
     * quarter of it for queued messages, and offline sessions at 8 KiB each within another quarter, so
     * that a full broker still has half its heap for connected clients and retained messages.
     */
    public BrokerSettings resolve(long maxHeapBytes) {
        Builder b = toBuilder();
        if (maxOfflineSessions == AUTOMATIC) {
            b.maxOfflineSessions(Math.max(1_000, maxHeapBytes / 4 / HEAP_PER_OFFLINE_SESSION));
        }
        if (globalMaxQueuedBytes == AUTOMATIC) {
            b.globalMaxQueuedBytes(Math.max(1 << 20, maxHeapBytes / 4));
        }
        return b.build();
    }

    /** The packet size limit to enforce on input. */
    public int effectiveMaxPacketSize() {
        return maxPacketSize == 0 ? PROTOCOL_MAX_PACKET_SIZE : maxPacketSize;
    }

    /** Copies with one field changed, for tests. */
    public BrokerSettings withSysInterval(int seconds) {
        return toBuilder().sysInterval(seconds).build();
    }

    /** Settings under construction, starting at Mosquitto 2.0's defaults; owned by one thread. */
    public static final class Builder {
        private int maxInflightMessages = 20;
        private int maxQueuedMessages = 1000;
        private long maxQueuedBytes = 0;
        private int maxPacketSize = heapMaxPacketSize();
        private long messageSizeLimit = 0;
        private int maxKeepalive = 65535;
        private int sysInterval = 10;
        private boolean persistence = false;
        private Path persistenceLocation = null;
        private boolean retainAvailable = true;
        private int maxQos = 2;
        private int maxTopicAlias = 10;
        private boolean allowZeroLengthClientid = true;
        private String autoIdPrefix = "auto-";
        private boolean queueQos0Messages = false;
        private boolean upgradeOutgoingQos = false;
        private long persistentClientExpiration = 0;
        private int maxTopicLevels = DEFAULT_MAX_TOPIC_LEVELS;
        private long maxRetainedMessages = heapMaxRetainedMessages();
        private long maxRetainedBytes = heapMaxRetainedBytes();
        private long maxOfflineSessions = AUTOMATIC;
        private long globalMaxQueuedBytes = AUTOMATIC;
        private int slowSubscriberTimeout = DEFAULT_SLOW_SUBSCRIBER_TIMEOUT;
        private boolean retainedPersistence = true;

        private Builder() {
        }

        public Builder maxInflightMessages(int value) {
            maxInflightMessages = value;
            return this;
        }

        public Builder maxQueuedMessages(int value) {
            maxQueuedMessages = value;
            return this;
        }

        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        public Builder maxPacketSize(int value) {
            maxPacketSize = value;
            return this;
        }

        public Builder messageSizeLimit(long value) {
            messageSizeLimit = value;
            return this;
        }

        public Builder maxKeepalive(int value) {
            maxKeepalive = value;
            return this;
        }

        public Builder sysInterval(int value) {
            sysInterval = value;
            return this;
        }

        public Builder persistence(boolean value) {
            persistence = value;
            return this;
        }

        public Builder persistenceLocation(Path value) {
            persistenceLocation = value;
            return this;
        }

        public Builder retainAvailable(boolean value) {
            retainAvailable = value;
            return this;
        }

        public Builder maxQos(int value) {
            maxQos = value;
            return this;
        }

        public Builder maxTopicAlias(int value) {
            maxTopicAlias = value;
            return this;
        }

        public Builder allowZeroLengthClientid(boolean value) {
            allowZeroLengthClientid = value;
            return this;
        }

        public Builder autoIdPrefix(String value) {
            autoIdPrefix = value;
            return this;
        }

        public Builder queueQos0Messages(boolean value) {
            queueQos0Messages = value;
            return this;
        }

        public Builder upgradeOutgoingQos(boolean value) {
            upgradeOutgoingQos = value;
            return this;
        }

        public Builder persistentClientExpiration(long value) {
            persistentClientExpiration = value;
            return this;
        }

        public Builder maxTopicLevels(int value) {
            maxTopicLevels = value;
            return this;
        }

        public Builder maxRetainedMessages(long value) {
            maxRetainedMessages = value;
            return this;
        }

        public Builder maxRetainedBytes(long value) {
            maxRetainedBytes = value;
            return this;
        }

        public Builder maxOfflineSessions(long value) {
            maxOfflineSessions = value;
            return this;
        }

        public Builder globalMaxQueuedBytes(long value) {
            globalMaxQueuedBytes = value;
            return this;
        }

        public Builder slowSubscriberTimeout(int seconds) {
            slowSubscriberTimeout = seconds;
            return this;
        }

        public Builder retainedPersistence(boolean value) {
            retainedPersistence = value;
            return this;
        }

        /** The value set so far, for checks across sections. */
        public int maxQos() {
            return maxQos;
        }

        public int maxTopicAlias() {
            return maxTopicAlias;
        }

        public BrokerSettings build() {
            return new BrokerSettings(maxInflightMessages, maxQueuedMessages, maxQueuedBytes, maxPacketSize, messageSizeLimit, maxKeepalive, sysInterval, persistence, persistenceLocation, retainAvailable, maxQos, maxTopicAlias, allowZeroLengthClientid, autoIdPrefix, queueQos0Messages, upgradeOutgoingQos, persistentClientExpiration,
                    maxTopicLevels, maxRetainedMessages, maxRetainedBytes, maxOfflineSessions, globalMaxQueuedBytes,
                    slowSubscriberTimeout, retainedPersistence);
        }
    }
}
