package io.vane.broker.sys;

import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.MessagePublisher;
import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;
import io.vane.broker.session.SessionRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Publishes the broker's state under $SYS with Mosquitto's topic names, as retained messages, every
 * sys_interval seconds. Not thread-safe: {@link #publish()} runs on one scheduler thread.
 */
public final class SysTopics {
    private final String version;
    private final BrokerStats stats;
    private final SessionRegistry sessions;
    private final Router router;
    private final RetainedMessages retained;
    private final MessagePublisher publisher;
    private final LongSupplier clock;
    private final long startedAt;
    private final Map<String, LoadAverage> loads = new LinkedHashMap<>();
    private final Map<String, String> lastSent = new java.util.HashMap<>();
    private long lastUpdate;
    private io.vane.broker.persistence.Persistence store = io.vane.broker.persistence.Persistence.IN_MEMORY;
    private long recoveryMillis = -1;

    public SysTopics(String version, BrokerStats stats, SessionRegistry sessions, Router router,
            RetainedMessages retained, MessagePublisher publisher, LongSupplier clock) {
        this.version = version;
        this.stats = stats;
        this.sessions = sessions;
        this.router = router;
        this.retained = retained;
        this.publisher = publisher;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
        for (String name : new String[] {"messages/received", "messages/sent", "publish/received", "publish/sent",
                "bytes/received", "bytes/sent", "connections"}) {
            loads.put(name, new LoadAverage());
        }
    }

    /** Adds the store's figures ($SYS/broker/store/...): what it keeps, how long recovery took, whether it fails. */
    public void reportStore(io.vane.broker.persistence.Persistence persistence, long recoveredInMillis) {
        store = persistence;
        recoveryMillis = recoveredInMillis;
    }

    /** Publishes the figures that changed since last time (all of them the first time). */
    public void publish() {
        long now = clock.getAsLong();
        double interval = lastUpdate == 0 ? 0 : (now - lastUpdate) / 1000.0;
        lastUpdate = now;
        int connected = stats.clientsConnected();
        int total = sessions.size();
        send("$SYS/broker/version", "vane version " + version);
        send("$SYS/broker/uptime", (now - startedAt) / 1000 + " seconds");
        send("$SYS/broker/clients/connected", connected);
        send("$SYS/broker/clients/active", connected);
        send("$SYS/broker/clients/total", total);
        send("$SYS/broker/clients/disconnected", Math.max(0, total - connected));
        send("$SYS/broker/clients/inactive", Math.max(0, total - connected));
        send("$SYS/broker/clients/maximum", stats.clientsMaximum());
        send("$SYS/broker/messages/received", stats.messagesReceived());
        send("$SYS/broker/messages/sent", stats.messagesSent());
        send("$SYS/broker/publish/messages/received", stats.publishReceived());
        send("$SYS/broker/publish/messages/sent", stats.publishSent());
        send("$SYS/broker/publish/messages/dropped", stats.messagesDropped());
        send("$SYS/broker/clients/refused/quota", stats.sessionsRefused());
        send("$SYS/broker/publishers/paused", stats.publishersPaused());
        send("$SYS/broker/subscribers/stalled", stats.subscribersStalled());
        send("$SYS/broker/bytes/received", stats.bytesReceived());
        send("$SYS/broker/bytes/sent", stats.bytesSent());
        send("$SYS/broker/subscriptions/count", router.subscriptionCount());
        send("$SYS/broker/retained messages/count", retained.count());
        // Vane's own: what the retained budget holds and what it refused (docs/decisions/0006-size-limits.md).
        send("$SYS/broker/retained messages/bytes", retained.bytes());
        send("$SYS/broker/retained messages/refused", retained.refusedCount());
        if (store.isDurable()) {
            // Vane's own: the durable store (docs/decisions/0011). Retained and sessions are what it keeps.
            long persistent = 0;
            for (io.vane.broker.session.Session s : sessions.all()) {
                if (s.isPersistent()) {
                    persistent++;
                }
            }
            send("$SYS/broker/store/sessions", persistent);
            send("$SYS/broker/store/retained messages", retained.keptCount());
            send("$SYS/broker/store/bytes", store.storedBytes());
            send("$SYS/broker/store/changes/pending", store.pendingChanges());
            send("$SYS/broker/store/recovery/milliseconds", recoveryMillis);
            String failure = store.failure();
            send("$SYS/broker/store/failing", failure == null ? "0" : "1 " + failure);
        }
        // Per client, only for clients that lost messages: a slow reader shows up by name.
        for (io.vane.broker.session.Session s : sessions.all()) {
            long dropped = s.droppedTotal();
            if (dropped > 0) {
                send("$SYS/broker/clients/" + s.clientId() + "/messages/dropped", dropped);
            }
        }
        Runtime rt = Runtime.getRuntime();
        send("$SYS/broker/heap/current", rt.totalMemory() - rt.freeMemory());
        if (interval > 0) {
            update("messages/received", stats.messagesReceived(), interval);
            update("messages/sent", stats.messagesSent(), interval);
            update("publish/received", stats.publishReceived(), interval);
            update("publish/sent", stats.publishSent(), interval);
            update("bytes/received", stats.bytesReceived(), interval);
            update("bytes/sent", stats.bytesSent(), interval);
            update("connections", stats.connectionsTotal(), interval);
        } else {
            loads.forEach((name, load) -> load.update(initialCount(name), 1));
        }
    }

    private long initialCount(String name) {
        return switch (name) {
            case "messages/received" -> stats.messagesReceived();
            case "messages/sent" -> stats.messagesSent();
            case "publish/received" -> stats.publishReceived();
            case "publish/sent" -> stats.publishSent();
            case "bytes/received" -> stats.bytesReceived();
            case "bytes/sent" -> stats.bytesSent();
            default -> stats.connectionsTotal();
        };
    }

    private void update(String name, long count, double interval) {
        LoadAverage load = loads.get(name);
        load.update(count, interval);
        String base = "$SYS/broker/load/" + name + "/";
        send(base + "1min", format(load.oneMinute()));
        send(base + "5min", format(load.fiveMinutes()));
        send(base + "15min", format(load.fifteenMinutes()));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void send(String topic, long value) {
        send(topic, Long.toString(value));
    }

    private void send(String topic, String value) {
        if (value.equals(lastSent.put(topic, value))) {
            return;
        }
        publisher.publish(Message.of(topic, value.getBytes(StandardCharsets.UTF_8), 0, true));
    }
}
