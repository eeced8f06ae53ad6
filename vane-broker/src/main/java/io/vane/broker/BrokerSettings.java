package io.vane.broker;

import java.nio.file.Path;

/**
 * The broker's frozen, validated settings, named after Mosquitto's options. Built by the config
 * parser or by code that embeds Vane; {@link #defaults()} matches Mosquitto 2.0's defaults.
 *
 * @param maxInflightMessages max_inflight_messages: QoS 1/2 messages in flight per client (0 = 65535)
 * @param maxQueuedMessages max_queued_messages: messages queued per client beyond the in-flight window (0 = no limit)
 * @param maxQueuedBytes max_queued_bytes: bytes queued per client (0 = no limit)
 * @param maxPacketSize max_packet_size: largest packet accepted from a client, in bytes (0 = the protocol's limit)
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
        long persistentClientExpiration) {

    /** The largest packet MQTT can express: 1 byte header, 4 bytes length, 268,435,455 bytes body. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    public static BrokerSettings defaults() {
        return new BrokerSettings(20, 1000, 0, 0, 0, 65535, 10, false, null, true, 2, 10, true, "auto-",
                false, false, 0);
    }

    /** The packet size limit to enforce on input. */
    public int effectiveMaxPacketSize() {
        return maxPacketSize == 0 ? PROTOCOL_MAX_PACKET_SIZE : maxPacketSize;
    }

    /** Copies with one field changed, for builders and tests. */
    public BrokerSettings withSysInterval(int seconds) {
        return new BrokerSettings(maxInflightMessages, maxQueuedMessages, maxQueuedBytes, maxPacketSize,
                messageSizeLimit, maxKeepalive, seconds, persistence, persistenceLocation, retainAvailable, maxQos,
                maxTopicAlias, allowZeroLengthClientid, autoIdPrefix, queueQos0Messages, upgradeOutgoingQos,
                persistentClientExpiration);
    }
}
