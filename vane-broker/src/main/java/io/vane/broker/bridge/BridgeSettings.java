package io.vane.broker.bridge;

import io.vane.protocol.MqttVersion;
import java.util.List;

/**
 * One {@code connection} section, parsed and frozen, with Mosquitto 2.0's defaults (src/conf.c): keep-alive
 * 60 s, a persistent remote session ({@code cleansession false}), the local one following it, protocol
 * 3.1.1 with the try_private mark, automatic start, restarts after 5 s growing to 30 s with jitter,
 * notifications on, and the outgoing retain flag kept.
 *
 * @param name the connection's name
 * @param addresses where to connect, the first preferred; tried in turn when one fails
 * @param roundRobin when false, a bridge on a later address goes back to the first once it answers
 * @param topics the topic lines, in config order
 * @param remoteClientId the client id at the remote broker
 * @param localClientId the id of the bridge's session on this broker
 * @param remoteUsername remote user name, or null
 * @param remotePassword remote password, or null
 * @param localUsername the user whose ACL rules the bridge's local side follows, or null (trusted)
 * @param cleanSession Clean Session / Clean Start at the remote broker
 * @param localCleanSession whether the bridge's session here starts empty at each start (not kept on disk)
 * @param protocol the protocol spoken to the remote broker
 * @param tryPrivate mark the 3.x CONNECT as a bridge (protocol level | 0x80)
 * @param keepAliveSeconds keep-alive with the remote broker, at least 5
 * @param startType when the bridge connects
 * @param idleTimeoutSeconds a lazy bridge disconnects after this long without messages
 * @param threshold a lazy bridge connects once this many messages wait
 * @param restartBaseSeconds first wait before reconnecting
 * @param restartCapSeconds longest wait; equal to the base for a fixed wait (no jitter)
 * @param notifications publish 1/0 on the notification topic (retained), with a Will of 0 at the remote
 * @param notificationsLocalOnly publish the state on this broker only
 * @param notificationTopic the state topic, or null for {@code $SYS/broker/connection/<remote_clientid>/state}
 * @param attemptUnsubscribe unsubscribe out-only topics at the remote on connect (3.x)
 * @param outgoingRetain keep the retain flag on messages sent to the remote broker
 * @param maxPacketSize the largest packet sent to the remote broker, 0 for no limit of our own
 * @param bindAddress the local address to connect from, or null
 * @param tls TLS options, or null for plain TCP (or ws://)
 * @param receiveMaximum Receive Maximum announced to a 5.0 remote, 0 to leave it out (65,535)
 * @param sessionExpirySeconds Session Expiry Interval for a 5.0 remote; -1 for the default (never
 *     when cleansession is false, 0 when true)
 * @param tcpKeepAliveSeconds TCP keep-alive idle time, 0 to leave the system's
 * @param tcpKeepAliveInterval seconds between TCP keep-alive probes, 0 for a third of the idle time
 * @param tcpKeepAliveCount unanswered probes before the connection is dropped, 0 for 3
 * @param tcpUserTimeoutMillis TCP_USER_TIMEOUT, 0 to leave the system's
 * @param maxQueuedMessages the bridge's own queue limit, -1 for max_queued_messages
 * @param maxQueuedBytes the bridge's own queue limit in bytes, -1 for max_queued_bytes
 * @param reloadImmediate bridge_reload_type immediate: a change on reload reconnects at once; lazy (false)
 *     waits until the connection ends of itself
 */
public record BridgeSettings(String name, List<BridgeAddress> addresses, boolean roundRobin, List<BridgeTopic> topics,
        String remoteClientId, String localClientId, String remoteUsername, String remotePassword,
        String localUsername, boolean cleanSession, boolean localCleanSession, MqttVersion protocol,
        boolean tryPrivate, int keepAliveSeconds, StartType startType, int idleTimeoutSeconds, int threshold,
        int restartBaseSeconds, int restartCapSeconds, boolean notifications, boolean notificationsLocalOnly,
        String notificationTopic, boolean attemptUnsubscribe, boolean outgoingRetain, int maxPacketSize,
        String bindAddress, BridgeTls tls, int receiveMaximum, long sessionExpirySeconds, int tcpKeepAliveSeconds,
        int tcpKeepAliveInterval, int tcpKeepAliveCount, int tcpUserTimeoutMillis, long maxQueuedMessages, long maxQueuedBytes, boolean reloadImmediate) {

    /** {@code start_type}. */
    public enum StartType {
        /** Connect at start-up and reconnect after each loss. */
        AUTOMATIC,
        /** Connect once {@code threshold} messages wait; disconnect after {@code idle_timeout}. */
        LAZY,
        /** Connect at start-up; after a loss, stay disconnected. */
        ONCE
    }

    public BridgeSettings {
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
    }

    /** The retained 1/0 topic. */
    public String stateTopic() {
        return notificationTopic != null ? notificationTopic : "$SYS/broker/connection/" + remoteClientId + "/state";
    }

    /** Whether any topic line carries messages out (the bridge then has subscriptions here). */
    public boolean carriesOut() {
        return topics.stream().anyMatch(t -> t.direction().carriesOut());
    }

    @Override
    public String toString() {
        return "bridge " + name + " to " + addresses;
    }
}
