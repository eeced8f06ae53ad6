package io.vane.app.ops;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vane.broker.Broker;
import io.vane.broker.BrokerStats;
import java.util.function.LongSupplier;

/**
 * The broker's figures that $SYS publishes, as Prometheus metrics (the table in docs/operations.md
 * maps each to its $SYS topic and to mosquitto-exporter's name). Base units: bytes and seconds.
 */
final class BrokerMetrics {
    private BrokerMetrics() {
    }

    /** Per bridge, labelled with its connection name. */
    private static void bridges(PrometheusRegistry registry, Broker broker) {
        bridgeGauge(registry, broker, "vane_bridge_connected", "1 while the bridge is connected to its remote broker.",
                b -> b.stats().state() == io.vane.broker.bridge.BridgeStats.State.CONNECTED ? 1 : 0);
        bridgeGauge(registry, broker, "vane_bridge_queued_messages", "Messages waiting for the remote broker.",
                io.vane.broker.bridge.Bridge::waiting);
        bridgeGauge(registry, broker, "vane_bridge_last_message_timestamp_seconds",
                "When a message last crossed the bridge (Unix time).", b -> b.stats().lastMessageMillis() / 1000.0);
        bridgeCounter(registry, broker, "vane_bridge_messages_received", "Messages from the remote broker.",
                b -> b.stats().messagesIn());
        bridgeCounter(registry, broker, "vane_bridge_messages_sent", "Messages sent to the remote broker.",
                b -> b.stats().messagesOut());
        bridgeCounter(registry, broker, "vane_bridge_received_bytes", "Payload bytes from the remote broker.",
                b -> b.stats().bytesIn());
        bridgeCounter(registry, broker, "vane_bridge_sent_bytes", "Payload bytes sent to the remote broker.",
                b -> b.stats().bytesOut());
        bridgeCounter(registry, broker, "vane_bridge_dropped", "Messages dropped by the bridge's queue limits.",
                io.vane.broker.bridge.Bridge::dropped);
        bridgeCounter(registry, broker, "vane_bridge_connects", "Connections made (CONNACK accepted).",
                b -> b.stats().connects());
        bridgeCounter(registry, broker, "vane_bridge_failures", "Connection attempts failed or connections lost.",
                b -> b.stats().failures());
    }

    private static void bridgeGauge(PrometheusRegistry registry, Broker broker, String name, String help,
            java.util.function.ToDoubleFunction<io.vane.broker.bridge.Bridge> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("bridge").callback(cb -> {
            for (io.vane.broker.bridge.Bridge b : broker.bridges()) {
                cb.call(value.applyAsDouble(b), b.settings().name());
            }
        }).register(registry);
    }

    private static void bridgeCounter(PrometheusRegistry registry, Broker broker, String name, String help,
            java.util.function.ToDoubleFunction<io.vane.broker.bridge.Bridge> value) {
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name(name).help(help).labelNames("bridge")
                .callback(cb -> {
                    for (io.vane.broker.bridge.Bridge b : broker.bridges()) {
                        cb.call(value.applyAsDouble(b), b.settings().name());
                    }
                }).register(registry);
    }

    static void register(PrometheusRegistry registry, Broker broker, String version, LongSupplier clockMillis) {
        BrokerStats s = broker.stats();
        long started = clockMillis.getAsLong();
        Info info = Info.builder().name("vane_build_info").help("The running version.").labelNames("version")
                .register(registry);
        info.setLabelValues(version);
        bridges(registry, broker);
        new MetricsTable(registry)
                .gauge("vane_uptime_seconds", "Seconds since the broker started.",
                        () -> (clockMillis.getAsLong() - started) / 1000.0)
                .gauge("vane_clients_connected", "Clients connected now.", s::clientsConnected)
                .gauge("vane_clients_maximum", "The most clients connected at once since start.", s::clientsMaximum)
                .gauge("vane_sessions", "Sessions, connected or not (clients/total).", broker::sessionCount)
                .gauge("vane_clients_disconnected", "Sessions whose client is not connected.",
                        () -> Math.max(0, broker.sessionCount() - s.clientsConnected()))
                .counter("vane_connections", "Connections accepted since start.", s::connectionsTotal)
                .counter("vane_packets_received", "MQTT packets of any type received.", s::messagesReceived)
                .counter("vane_packets_sent", "MQTT packets of any type sent.", s::messagesSent)
                .counter("vane_publish_received", "PUBLISH packets received.", s::publishReceived)
                .counter("vane_publish_sent", "PUBLISH packets sent.", s::publishSent)
                .counter("vane_publish_dropped", "Messages dropped by queue or in-flight limits.",
                        s::messagesDropped)
                .counter("vane_messages_expired", "Messages whose message expiry interval ran out before delivery.",
                        s::messagesExpired)
                .counter("vane_received_bytes", "Bytes received from clients.", s::bytesReceived)
                .counter("vane_sent_bytes", "Bytes sent to clients.", s::bytesSent)
                .gauge("vane_subscriptions", "Subscriptions, all sessions together.", broker::subscriptionCount)
                .gauge("vane_retained_messages", "Retained messages held.", broker::retainedCount)
                .gauge("vane_retained_bytes", "Bytes of retained messages held.", broker::retainedBytes)
                .counter("vane_retained_refused", "Retained messages refused by the retained limits.",
                        broker::retainedRefused)
                .gauge("vane_queued_bytes", "Bytes queued for offline and slow clients.", broker::queuedBytes)
                .counter("vane_queued_refused", "Messages not queued because global_max_queued_bytes was reached.",
                        broker::queuedRefused)
                .counter("vane_sessions_refused", "CONNECTs refused because max_offline_sessions was reached.",
                        s::sessionsRefused)
                .counter("vane_publishers_paused", "Times a publisher was paused for a congested subscriber.",
                        s::publishersPaused)
                .counter("vane_subscribers_stalled", "Times a congested subscriber was marked stalled.",
                        s::subscribersStalled)
                .gauge("vane_heap_used_bytes", "JVM heap in use.", () -> {
                    Runtime rt = Runtime.getRuntime();
                    return rt.totalMemory() - rt.freeMemory();
                });
        // Queued and in flight from one walk over the sessions.
        GaugeWithCallback.builder().name("vane_messages").help("Messages queued for or in flight to clients.")
                .labelNames("state").callback(cb -> {
                    long[] q = broker.queuedAndInflight();
                    cb.call(q[0], "queued");
                    cb.call(q[1], "inflight");
                }).register(registry);
    }
}
