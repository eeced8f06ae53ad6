package io.vane.app.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vane.broker.Broker;
import io.vane.store.SqliteStore;

/**
 * The durable store's figures (persistence true): its size, what waits to be written, whether writing
 * fails, and how long each commit takes. A commit is one batch and one sync (synchronous=FULL), so its
 * duration is what a QoS 1 PUBACK waits for at least (decision 0011).
 */
final class StoreMetrics {
    /** Sync times on this machine's disks run from tens of microseconds (tmpfs) to tens of ms (SD cards). */
    private static final double[] COMMIT_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5};

    private StoreMetrics() {
    }

    static void register(PrometheusRegistry registry, SqliteStore store, Broker broker, long recoveryMillis) {
        new MetricsTable(registry)
                .gauge("vane_store_size_bytes", "Bytes the store's files take on disk.", store::storedBytes)
                .gauge("vane_store_pending_changes", "Changes handed to the store and not yet committed.",
                        store::pendingChanges)
                .gauge("vane_store_failing", "1 while the store cannot write (QoS 1/2 are not acknowledged), else 0.",
                        () -> store.failure() == null ? 0 : 1)
                .gauge("vane_store_sessions", "Persistent sessions, the ones the store keeps.",
                        broker::persistentSessionCount)
                .gauge("vane_store_recovery_seconds", "How long reading the store back took at start-up.",
                        () -> recoveryMillis / 1000.0);
        Histogram commits = Histogram.builder().name("vane_store_commit_seconds")
                .help("Time to write and sync one batch of changes.").classicOnly().classicUpperBounds(COMMIT_BUCKETS)
                .register(registry);
        Counter changes = Counter.builder().name("vane_store_changes")
                .help("Changes committed to the store.").register(registry);
        store.observeCommits((n, nanos) -> {
            commits.observe(nanos / 1e9);
            changes.inc(n);
        });
    }
}
